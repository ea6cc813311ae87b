using LtiMicroCred.ResultPosting.Webhooks;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class WebhookSettingsConfiguration : IEntityTypeConfiguration<WebhookSettings>
{
    public void Configure(EntityTypeBuilder<WebhookSettings> builder)
    {
        builder.ToTable("WebhookSettings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.Property(s => s.SecretCiphertext).HasMaxLength(4000);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
