using LtiMicroCred.Outbox;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.Property(m => m.Kind).HasMaxLength(100);
        builder.Property(m => m.Payload).HasMaxLength(4000);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.ClaimedBy).HasMaxLength(100);
        builder.Property(m => m.LastError).HasMaxLength(500);
        builder.Ignore(m => m.MayHaveBeenSent);
        builder.HasIndex(m => m.EventId).IsUnique();
        // The sweep: pending and due, oldest first.
        builder.HasIndex(m => new { m.Status, m.DueAt });
        // The admin page: a district's counts by status and its dead letters, newest first.
        builder.HasIndex(m => new { m.TenantId, m.Status, m.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
