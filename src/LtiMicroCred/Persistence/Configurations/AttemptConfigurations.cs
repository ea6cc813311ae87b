using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class AttemptConfiguration : IEntityTypeConfiguration<Attempt>
{
    public void Configure(EntityTypeBuilder<Attempt> builder)
    {
        builder.ToTable("Attempts");
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.Plan).HasJsonConversion();
        builder.Property(a => a.ReservedIncentive).HasJsonConversion();
        builder.Property(a => a.PlanComment).HasMaxLength(4000);
        builder.Property(a => a.ExtensionReason).HasMaxLength(1000);
        builder.Property(a => a.Revision).IsConcurrencyToken();
        builder.HasIndex(a => new { a.TenantId, a.TeacherId, a.CredentialId });
        builder.HasIndex(a => new { a.TenantId, a.SchoolId, a.Status });
        // The principal's "ready for decision" list, oldest first.
        builder.HasIndex(a => new { a.SchoolId, a.Status, a.ReadyForDecisionAt });
        // The principal's "plans to approve" list, oldest first (a district admin's spans the tenant).
        builder.HasIndex(a => new { a.TenantId, a.Status, a.UpdatedAt });
        builder.HasIndex(a => new { a.TenantId, a.Status, a.ReadyForDecisionAt });
        // The reports: counts by credential and status (index-only), and the month series and date filter on start time.
        builder.HasIndex(a => new { a.TenantId, a.CredentialId, a.Status });
        builder.HasIndex(a => new { a.TenantId, a.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(a => a.TeacherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Credential>().WithMany().HasForeignKey(a => a.CredentialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CredentialVersion>().WithMany().HasForeignKey(a => a.CredentialVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Offering>().WithMany().HasForeignKey(a => a.OfferingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(a => a.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Attempt>().WithMany().HasForeignKey(a => a.PreviousAttemptId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AttemptEventConfiguration : IEntityTypeConfiguration<AttemptEvent>
{
    public void Configure(EntityTypeBuilder<AttemptEvent> builder)
    {
        builder.ToTable("AttemptEvents");
        builder.Property(e => e.From).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.To).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.Note).HasMaxLength(4000);
        builder.HasIndex(e => e.AttemptId);
        builder.HasOne<Attempt>().WithMany().HasForeignKey(e => e.AttemptId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BudgetReservationConfiguration : IEntityTypeConfiguration<BudgetReservation>
{
    public void Configure(EntityTypeBuilder<BudgetReservation> builder)
    {
        builder.ToTable("BudgetReservations");
        builder.Property(r => r.Amount).HasPrecision(12, 4);
        builder.HasIndex(r => new { r.TenantId, r.Year, r.Kind, r.SchoolId });
        builder.HasIndex(r => r.AttemptId).IsUnique();
        builder.HasOne<Attempt>().WithMany().HasForeignKey(r => r.AttemptId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EvidenceItemConfiguration : IEntityTypeConfiguration<EvidenceItem>
{
    public void Configure(EntityTypeBuilder<EvidenceItem> builder)
    {
        builder.ToTable("EvidenceItems");
        builder.Property(e => e.CriterionKey).HasMaxLength(100);
        builder.Property(e => e.Title).HasMaxLength(500);
        builder.Property(e => e.Url).HasMaxLength(2048);
        builder.Property(e => e.SourceAssignmentId).HasMaxLength(100);
        builder.Property(e => e.SourceItemKey).HasMaxLength(200);
        builder.HasIndex(e => new { e.AttemptId, e.CriterionKey });
        // What one pull brought from the LMS is there once, even if two runs of the pull job overlap.
        builder.HasIndex(e => new { e.AttemptId, e.SourceAssignmentId, e.SourceItemKey }).IsUnique();
        builder.HasOne<Attempt>().WithMany().HasForeignKey(e => e.AttemptId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StoredFile>().WithMany().HasForeignKey(e => e.FileId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> builder)
    {
        builder.ToTable("StoredFiles");
        builder.Property(f => f.FileName).HasMaxLength(255);
        builder.Property(f => f.ContentType).HasMaxLength(200);
        builder.Property(f => f.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(f => f.StorageKey).HasMaxLength(200);
        builder.HasIndex(f => new { f.TenantId, f.Sha256 });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReflectionConfiguration : IEntityTypeConfiguration<Reflection>
{
    public void Configure(EntityTypeBuilder<Reflection> builder)
    {
        builder.ToTable("Reflections");
        builder.HasKey(r => new { r.AttemptId, r.CriterionKey });
        builder.Property(r => r.CriterionKey).HasMaxLength(100);
        builder.HasOne<Attempt>().WithMany().HasForeignKey(r => r.AttemptId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssignmentMappingConfiguration : IEntityTypeConfiguration<AssignmentMapping>
{
    public void Configure(EntityTypeBuilder<AssignmentMapping> builder)
    {
        builder.ToTable("AssignmentMappings");
        builder.Property(m => m.CriterionKey).HasMaxLength(100);
        builder.Property(m => m.CourseId).HasMaxLength(100);
        builder.Property(m => m.AssignmentId).HasMaxLength(100);
        builder.Property(m => m.LineItemUrl).HasMaxLength(2048);
        builder.Property(m => m.AssignmentName).HasMaxLength(300);
        // One assignment serves one criterion of one version; one criterion of a version has one assignment.
        builder.HasIndex(m => new { m.TenantId, m.CourseId, m.AssignmentId }).IsUnique();
        builder.HasIndex(m => new { m.CredentialVersionId, m.CriterionKey }).IsUnique();
        builder.HasOne<CredentialVersion>().WithMany().HasForeignKey(m => m.CredentialVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EvidencePullConfiguration : IEntityTypeConfiguration<EvidencePull>
{
    public void Configure(EntityTypeBuilder<EvidencePull> builder)
    {
        builder.ToTable("EvidencePulls");
        builder.HasKey(p => p.AttemptId);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(30);
        builder.Property(p => p.Message).HasMaxLength(500);
        builder.HasOne<Attempt>().WithOne().HasForeignKey<EvidencePull>(p => p.AttemptId).OnDelete(DeleteBehavior.Cascade);
    }
}
