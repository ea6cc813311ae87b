using LtiMicroCred.LtiStorage;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class LaunchStateConfiguration : IEntityTypeConfiguration<LaunchStateRecord>
{
    public void Configure(EntityTypeBuilder<LaunchStateRecord> builder)
    {
        builder.ToTable("LtiLaunchStates");
        builder.HasKey(s => s.State);
        builder.Property(s => s.State).HasMaxLength(64);
        builder.Property(s => s.Nonce).HasMaxLength(64);
        builder.Property(s => s.TargetLinkUri).HasMaxLength(2000);
        builder.Property(s => s.BrowserBindingHash).HasMaxLength(64);
        builder.Property(s => s.StorageTarget).HasMaxLength(200);
        builder.HasIndex(s => s.ExpiresAt);
        builder.HasOne<PlatformRegistration>().WithMany().HasForeignKey(s => s.PlatformId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ToolKeyConfiguration : IEntityTypeConfiguration<ToolKeyRecord>
{
    public void Configure(EntityTypeBuilder<ToolKeyRecord> builder)
    {
        builder.ToTable("LtiToolKeys");
        builder.HasKey(k => k.Kid);
        builder.Property(k => k.Kid).HasMaxLength(64);
        builder.Property(k => k.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(k => k.PublicJwk).HasMaxLength(2000);
        builder.Property(k => k.ProtectedPrivateKey).HasMaxLength(8000);
    }
}

internal sealed class ServiceTokenConfiguration : IEntityTypeConfiguration<ServiceTokenRecord>
{
    public void Configure(EntityTypeBuilder<ServiceTokenRecord> builder)
    {
        builder.ToTable("LtiServiceTokens");
        builder.HasKey(t => new { t.PlatformId, t.ScopeHash });
        builder.Property(t => t.ScopeHash).HasMaxLength(64);
        builder.Property(t => t.Scopes).HasMaxLength(2000);
        builder.Property(t => t.ProtectedToken).HasMaxLength(8000);
        builder.HasOne<PlatformRegistration>().WithMany().HasForeignKey(t => t.PlatformId).OnDelete(DeleteBehavior.Cascade);
    }
}
