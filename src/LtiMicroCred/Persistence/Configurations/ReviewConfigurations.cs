using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class ReviewPolicyConfiguration : IEntityTypeConfiguration<ReviewPolicy>
{
    public void Configure(EntityTypeBuilder<ReviewPolicy> builder)
    {
        builder.ToTable("ReviewPolicies");
        builder.HasKey(p => p.CredentialId);
        builder.HasIndex(p => p.TenantId);
        builder.HasOne<Credential>().WithOne().HasForeignKey<ReviewPolicy>(p => p.CredentialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReviewAssignmentConfiguration : IEntityTypeConfiguration<ReviewAssignment>
{
    public void Configure(EntityTypeBuilder<ReviewAssignment> builder)
    {
        builder.ToTable("ReviewAssignments");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Scores).HasJsonConversion();
        builder.Property(r => r.OverallFeedback).HasMaxLength(8000);
        builder.Property(r => r.Revision).IsConcurrencyToken();
        // The reviewer's queue (open reviews by due time) and the attempt's reviews.
        builder.HasIndex(r => new { r.ReviewerId, r.Status, r.DueAt });
        builder.HasIndex(r => new { r.AttemptId, r.Status });
        // The timeliness job and the principal's overdue list.
        builder.HasIndex(r => new { r.TenantId, r.Status, r.DueAt });
        // The progress report: the newest submitted reviews first (the median's sample).
        builder.HasIndex(r => new { r.TenantId, r.SubmittedAt });
        builder.HasOne<Attempt>().WithMany().HasForeignKey(r => r.AttemptId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.ReviewerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReviewerConflictConfiguration : IEntityTypeConfiguration<ReviewerConflict>
{
    public void Configure(EntityTypeBuilder<ReviewerConflict> builder)
    {
        builder.ToTable("ReviewerConflicts");
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.HasIndex(c => new { c.TenantId, c.ReviewerId, c.TeacherId }).IsUnique();
        builder.HasIndex(c => c.TeacherId);
        builder.HasOne<Person>().WithMany().HasForeignKey(c => c.ReviewerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(c => c.TeacherId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReviewerCalibrationConfiguration : IEntityTypeConfiguration<ReviewerCalibration>
{
    public void Configure(EntityTypeBuilder<ReviewerCalibration> builder)
    {
        builder.ToTable("ReviewerCalibrations");
        builder.HasKey(c => new { c.PersonId, c.CredentialId });
        builder.HasIndex(c => new { c.TenantId, c.CredentialId, c.Calibrated });
        builder.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Credential>().WithMany().HasForeignKey(c => c.CredentialId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(e => e.Action).HasMaxLength(60);
        builder.Property(e => e.SubjectType).HasMaxLength(30);
        builder.Property(e => e.Detail).HasMaxLength(1000);
        builder.HasIndex(e => new { e.TenantId, e.At });
        builder.HasIndex(e => new { e.TenantId, e.SubjectType, e.SubjectId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
