using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("Tenants");
        builder.Property(t => t.Name).HasMaxLength(200);
    }
}

internal sealed class PlatformRegistrationConfiguration : IEntityTypeConfiguration<PlatformRegistration>
{
    public void Configure(EntityTypeBuilder<PlatformRegistration> builder)
    {
        builder.ToTable("Platforms");
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Issuer).HasMaxLength(400);
        builder.Property(p => p.ClientId).HasMaxLength(200);
        builder.Property(p => p.AuthorizationEndpoint).HasMaxLength(1000);
        builder.Property(p => p.TokenEndpoint).HasMaxLength(1000);
        builder.Property(p => p.JwksUrl).HasMaxLength(1000);
        builder.HasIndex(p => new { p.Issuer, p.ClientId }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Deployments).WithOne().HasForeignKey(d => d.PlatformId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlatformDeploymentConfiguration : IEntityTypeConfiguration<PlatformDeployment>
{
    public void Configure(EntityTypeBuilder<PlatformDeployment> builder)
    {
        builder.ToTable("PlatformDeployments");
        builder.Property(d => d.DeploymentId).HasMaxLength(255);
        builder.HasIndex(d => new { d.PlatformId, d.DeploymentId }).IsUnique();
    }
}
