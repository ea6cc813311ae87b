using LtiMicroCred.CanvasAccess;
using LtiMicroCred.People;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class CanvasDeveloperKeyConfiguration : IEntityTypeConfiguration<CanvasDeveloperKeyRecord>
{
    public void Configure(EntityTypeBuilder<CanvasDeveloperKeyRecord> builder)
    {
        builder.ToTable("CanvasDeveloperKeys");
        builder.HasKey(k => k.TenantId);
        builder.Property(k => k.CanvasBaseUrl).HasMaxLength(400);
        builder.Property(k => k.ClientId).HasMaxLength(200);
        builder.Property(k => k.ProtectedClientSecret).HasMaxLength(4000);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<CanvasDeveloperKeyRecord>(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CanvasConnectionConfiguration : IEntityTypeConfiguration<CanvasConnection>
{
    public void Configure(EntityTypeBuilder<CanvasConnection> builder)
    {
        builder.ToTable("CanvasConnections");
        builder.Property(c => c.CanvasBaseUrl).HasMaxLength(400);
        builder.Property(c => c.CanvasUserName).HasMaxLength(300);
        builder.Property(c => c.ProtectedAccessToken).HasMaxLength(8000);
        builder.Property(c => c.ProtectedRefreshToken).HasMaxLength(8000);
        builder.HasIndex(c => new { c.TenantId, c.CanvasBaseUrl, c.CanvasUserId }).IsUnique();
        builder.HasIndex(c => c.PersonId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
