using LtiMicroCred.People;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class SchoolConfiguration : IEntityTypeConfiguration<School>
{
    public void Configure(EntityTypeBuilder<School> builder)
    {
        builder.ToTable("Schools");
        builder.Property(s => s.Name).HasMaxLength(300);
        builder.Property(s => s.Code).HasMaxLength(100);
        builder.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
        builder.HasIndex(s => new { s.TenantId, s.Code }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SchoolMembershipConfiguration : IEntityTypeConfiguration<SchoolMembership>
{
    public void Configure(EntityTypeBuilder<SchoolMembership> builder)
    {
        builder.ToTable("SchoolMemberships");
        builder.HasKey(m => new { m.PersonId, m.SchoolId });
        builder.HasIndex(m => m.SchoolId);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<School>().WithMany().HasForeignKey(m => m.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SchoolAliasConfiguration : IEntityTypeConfiguration<SchoolAlias>
{
    public void Configure(EntityTypeBuilder<SchoolAlias> builder)
    {
        builder.ToTable("SchoolAliases");
        builder.Property(a => a.Parameter).HasMaxLength(100);
        builder.Property(a => a.Value).HasMaxLength(300);
        builder.HasIndex(a => new { a.TenantId, a.Parameter, a.Value }).IsUnique();
        builder.HasOne<School>().WithMany().HasForeignKey(a => a.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
