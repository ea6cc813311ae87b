using LtiMicroCred.Calibration;
using LtiMicroCred.Catalog;
using LtiMicroCred.Coaching;
using LtiMicroCred.Attempts;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class ReferenceSubmissionConfiguration : IEntityTypeConfiguration<ReferenceSubmission>
{
    public void Configure(EntityTypeBuilder<ReferenceSubmission> builder)
    {
        builder.ToTable("ReferenceSubmissions");
        builder.Property(r => r.Title).HasMaxLength(300);
        builder.Property(r => r.EvidenceHtml).HasMaxLength(100_000);
        builder.Property(r => r.Links).HasJsonConversion();
        builder.Property(r => r.AgreedLevels).HasJsonConversion();
        builder.Property(r => r.AgreedOutcome).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(r => new { r.TenantId, r.CredentialId, r.Active });
        builder.HasOne<Credential>().WithMany().HasForeignKey(r => r.CredentialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CredentialVersion>().WithMany().HasForeignKey(r => r.CredentialVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CalibrationScoreConfiguration : IEntityTypeConfiguration<CalibrationScore>
{
    public void Configure(EntityTypeBuilder<CalibrationScore> builder)
    {
        builder.ToTable("CalibrationScores");
        builder.Property(s => s.Levels).HasJsonConversion();
        builder.HasIndex(s => new { s.ReviewerId, s.ReferenceId }).IsUnique();
        builder.HasIndex(s => s.ReferenceId);
        builder.HasOne<ReferenceSubmission>().WithMany().HasForeignKey(s => s.ReferenceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(s => s.ReviewerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CoachAssignmentConfiguration : IEntityTypeConfiguration<CoachAssignment>
{
    public void Configure(EntityTypeBuilder<CoachAssignment> builder)
    {
        builder.ToTable("CoachAssignments");
        builder.HasIndex(a => new { a.TenantId, a.CoachId });
        builder.HasIndex(a => new { a.TenantId, a.TeacherId });
        builder.HasIndex(a => new { a.TenantId, a.CredentialId });
        builder.HasIndex(a => new { a.TenantId, a.SchoolId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(a => a.CoachId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(a => a.TeacherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Credential>().WithMany().HasForeignKey(a => a.CredentialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(a => a.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    public void Configure(EntityTypeBuilder<CheckIn> builder)
    {
        builder.ToTable("CheckIns");
        builder.Property(c => c.About).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Question).HasMaxLength(4000);
        builder.Property(c => c.Comments).HasJsonConversion();
        builder.Property(c => c.GeneralComment).HasMaxLength(8000);
        // The coach's queue, and the attempt's check-ins (also the evidence access rule for coaches).
        builder.HasIndex(c => new { c.CoachId, c.AnsweredAt });
        builder.HasIndex(c => new { c.AttemptId, c.CoachId });
        builder.HasOne<Attempt>().WithMany().HasForeignKey(c => c.AttemptId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(c => c.CoachId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(c => c.TeacherId).OnDelete(DeleteBehavior.Restrict);
    }
}
