using LtiMicroCred.Catalog;
using LtiMicroCred.People;
using LtiMicroCred.ResultPosting.Hours;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class HoursSettingsConfiguration : IEntityTypeConfiguration<HoursSettings>
{
    public void Configure(EntityTypeBuilder<HoursSettings> builder)
    {
        builder.ToTable("HoursSettings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.LineItemsUrl).HasMaxLength(2000);
        builder.Property(s => s.LineItemUrl).HasMaxLength(2000);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Course>().WithMany().HasForeignKey(s => s.CourseId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Person>().WithMany().HasForeignKey(s => s.ColumnConnectedBy).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class CredentialLineItemConfiguration : IEntityTypeConfiguration<CredentialLineItem>
{
    public void Configure(EntityTypeBuilder<CredentialLineItem> builder)
    {
        builder.ToTable("CredentialLineItems");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.LineItemUrl).HasMaxLength(2000);
        builder.HasIndex(l => l.CredentialId).IsUnique();
        builder.HasIndex(l => l.TenantId);
        builder.HasOne<Credential>().WithMany().HasForeignKey(l => l.CredentialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Course>().WithMany().HasForeignKey(l => l.CourseId).OnDelete(DeleteBehavior.NoAction);
    }
}
