using LtiMicroCred.People;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("People");
        builder.Property(p => p.Subject).HasMaxLength(255);
        builder.Property(p => p.Name).HasMaxLength(300);
        builder.Property(p => p.GivenName).HasMaxLength(200);
        builder.Property(p => p.FamilyName).HasMaxLength(200);
        builder.Property(p => p.Email).HasMaxLength(320);
        builder.HasIndex(p => new { p.PlatformId, p.Subject }).IsUnique();
        builder.HasIndex(p => p.TenantId);
        builder.HasOne<PlatformRegistration>().WithMany().HasForeignKey(p => p.PlatformId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> builder)
    {
        builder.ToTable("Courses");
        builder.Property(c => c.ContextId).HasMaxLength(255);
        builder.Property(c => c.Title).HasMaxLength(400);
        builder.Property(c => c.Label).HasMaxLength(200);
        builder.Property(c => c.LineItemsUrl).HasMaxLength(2048);
        builder.Property(c => c.MembershipsUrl).HasMaxLength(2048);
        builder.HasIndex(c => new { c.PlatformId, c.ContextId }).IsUnique();
        builder.HasIndex(c => c.TenantId);
        builder.HasOne<PlatformRegistration>().WithMany().HasForeignKey(c => c.PlatformId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> builder)
    {
        builder.ToTable("Enrollments");
        builder.HasKey(e => new { e.PersonId, e.CourseId });
        builder.Property(e => e.LtiRoles).HasMaxLength(4000);
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Course>().WithMany().HasForeignKey(e => e.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}
