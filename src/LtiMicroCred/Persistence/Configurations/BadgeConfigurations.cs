using LtiMicroCred.Badges;
using LtiMicroCred.Decisions;
using LtiMicroCred.People;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class IssuedBadgeConfiguration : IEntityTypeConfiguration<IssuedBadge>
{
    public void Configure(EntityTypeBuilder<IssuedBadge> builder)
    {
        builder.ToTable("IssuedBadges");
        builder.Property(b => b.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.Visibility).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.OnceKey).HasMaxLength(120);
        builder.Property(b => b.Title).HasMaxLength(300);
        builder.Property(b => b.EvidenceSummary).HasMaxLength(2000);
        builder.Property(b => b.Kid).HasMaxLength(64);
        builder.Property(b => b.RevocationReason).HasMaxLength(500);
        // One badge per award, and one per earner and stack or pathway: of two issues at once the second fails to insert.
        builder.HasIndex(b => b.OnceKey).IsUnique();
        builder.HasIndex(b => new { b.TenantId, b.IssuedAt });
        builder.HasIndex(b => new { b.EarnerId, b.IssuedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(b => b.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(b => b.EarnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(b => b.RevokedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AttemptDecision>().WithMany().HasForeignKey(b => b.DecisionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BadgeIssuerSettingsConfiguration : IEntityTypeConfiguration<BadgeIssuerSettings>
{
    public void Configure(EntityTypeBuilder<BadgeIssuerSettings> builder)
    {
        builder.ToTable("BadgeIssuerSettings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Url).HasMaxLength(500);
        builder.Property(s => s.Email).HasMaxLength(200);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
