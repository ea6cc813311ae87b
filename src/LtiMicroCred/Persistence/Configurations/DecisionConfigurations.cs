using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.People;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class AttemptDecisionConfiguration : IEntityTypeConfiguration<AttemptDecision>
{
    public void Configure(EntityTypeBuilder<AttemptDecision> builder)
    {
        builder.ToTable("AttemptDecisions");
        builder.Property(d => d.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Results).HasJsonConversion();
        builder.Property(d => d.Incentive).HasJsonConversion();
        builder.Property(d => d.OverallFeedback).HasMaxLength(8000);
        // Decisions are final: one per attempt, and of two deciders at once the second fails to insert.
        builder.HasIndex(d => d.AttemptId).IsUnique();
        // The results posting's work list.
        builder.HasIndex(d => new { d.TenantId, d.PostedAt });
        // The reports: the newest decisions first (the median's sample) and awards per month.
        builder.HasIndex(d => new { d.TenantId, d.DecidedAt });
        builder.HasOne<Attempt>().WithMany().HasForeignKey(d => d.AttemptId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CredentialVersion>().WithMany().HasForeignKey(d => d.CredentialVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(d => d.DecidedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ExtensionRequestConfiguration : IEntityTypeConfiguration<ExtensionRequest>
{
    public void Configure(EntityTypeBuilder<ExtensionRequest> builder)
    {
        builder.ToTable("ExtensionRequests");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.Comment).HasMaxLength(1000);
        // The principal's queue (open requests of their schools, oldest first) and the district's.
        builder.HasIndex(r => new { r.SchoolId, r.Status, r.RequestedAt });
        builder.HasIndex(r => new { r.TenantId, r.Status, r.RequestedAt });
        builder.HasIndex(r => new { r.AttemptId, r.Status });
        builder.HasOne<Attempt>().WithMany().HasForeignKey(r => r.AttemptId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.TeacherId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PathwayReviewConfiguration : IEntityTypeConfiguration<PathwayReview>
{
    public void Configure(EntityTypeBuilder<PathwayReview> builder)
    {
        builder.ToTable("PathwayReviews");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Revision).IsConcurrencyToken();
        builder.HasIndex(r => new { r.TenantId, r.Status, r.RequestedAt });
        builder.HasIndex(r => new { r.TeacherId, r.PathwayId });
        builder.HasOne<Pathway>().WithMany().HasForeignKey(r => r.PathwayId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.TeacherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PathwayReviewVoteConfiguration : IEntityTypeConfiguration<PathwayReviewVote>
{
    public void Configure(EntityTypeBuilder<PathwayReviewVote> builder)
    {
        builder.ToTable("PathwayReviewVotes");
        builder.Property(v => v.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.Feedback).HasMaxLength(4000);
        builder.HasIndex(v => new { v.ReviewId, v.AdministratorId }).IsUnique();
        builder.HasOne<PathwayReview>().WithMany().HasForeignKey(v => v.ReviewId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(v => v.AdministratorId).OnDelete(DeleteBehavior.Restrict);
    }
}
