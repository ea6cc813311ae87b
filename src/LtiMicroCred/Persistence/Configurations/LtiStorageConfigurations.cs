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

        // No foreign key to the platform: a state lives ten minutes, the launch looks its platform up anyway (and
        // refuses an unknown one), and the hourly purge removes it. On PostgreSQL the key's check locked the platform's
        // row (FOR KEY SHARE) on every login, so 50 logins at once queued on one row, and with its index it doubled the
        // cost of the insert that every launch makes (64 to 33 µs of server time, pg_stat_statements).
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
