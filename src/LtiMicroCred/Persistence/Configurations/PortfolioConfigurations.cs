using LtiMicroCred.Attempts;
using LtiMicroCred.People;
using LtiMicroCred.Portfolio;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class PortfolioExportConfiguration : IEntityTypeConfiguration<PortfolioExport>
{
    public void Configure(EntityTypeBuilder<PortfolioExport> builder)
    {
        builder.ToTable("PortfolioExports");
        builder.Property(e => e.Scope).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.FileKey).HasMaxLength(200);
        builder.Property(e => e.Sha256).HasMaxLength(64).IsFixedLength();
        // "My exports" (as the teacher or as the one who asked) and the purge by expiry.
        builder.HasIndex(e => new { e.TenantId, e.TeacherId, e.CreatedAt });
        builder.HasIndex(e => new { e.TenantId, e.RequestedBy, e.CreatedAt });
        builder.HasIndex(e => e.ExpiresAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.TeacherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.RequestedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Attempt>().WithMany().HasForeignKey(e => e.AttemptId).OnDelete(DeleteBehavior.Cascade);
    }
}
