using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Ledger;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("LedgerEntries");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.EntryType).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Amount).HasPrecision(14, 4);
        builder.Property(e => e.CpdUnits).HasPrecision(14, 4);
        builder.Property(e => e.Reason).HasMaxLength(1000);
        // An entry is reversed at most once: of two corrections at once the second fails to insert.
        builder.HasIndex(e => e.ReversesEntryId).IsUnique();
        // The district's and a school's ledger by date, and a teacher's own.
        builder.HasIndex(e => new { e.TenantId, e.ApprovedAt });
        builder.HasIndex(e => new { e.SchoolId, e.ApprovedAt });
        builder.HasIndex(e => new { e.TeacherId, e.ApprovedAt });
        builder.HasIndex(e => e.DecisionId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.TeacherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.ApprovedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(e => e.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Credential>().WithMany().HasForeignKey(e => e.CredentialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CredentialVersion>().WithMany().HasForeignKey(e => e.CredentialVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Attempt>().WithMany().HasForeignKey(e => e.AttemptId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AttemptDecision>().WithMany().HasForeignKey(e => e.DecisionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LedgerSettingsConfiguration : IEntityTypeConfiguration<LedgerSettings>
{
    public void Configure(EntityTypeBuilder<LedgerSettings> builder)
    {
        builder.ToTable("LedgerSettings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.CpdUnitsPerHour).HasPrecision(10, 4);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
