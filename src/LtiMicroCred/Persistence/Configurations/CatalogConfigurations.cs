using LtiMicroCred.Catalog;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LtiMicroCred.Persistence.Configurations;

internal sealed class CredentialConfiguration : IEntityTypeConfiguration<Credential>
{
    public void Configure(EntityTypeBuilder<Credential> builder)
    {
        builder.ToTable("Credentials");
        builder.Property(c => c.Key).HasMaxLength(100);
        builder.Property(c => c.Title).HasMaxLength(300);
        builder.Property(c => c.Summary).HasMaxLength(2000);
        builder.HasIndex(c => new { c.TenantId, c.Key }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CredentialVersionConfiguration : IEntityTypeConfiguration<CredentialVersion>
{
    public void Configure(EntityTypeBuilder<CredentialVersion> builder)
    {
        builder.ToTable("CredentialVersions");
        builder.Property(v => v.Definition).HasJsonConversion();
        builder.HasIndex(v => new { v.CredentialId, v.Number }).IsUnique();
        builder.HasOne<Credential>().WithMany().HasForeignKey(v => v.CredentialId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SkillFrameworkConfiguration : IEntityTypeConfiguration<SkillFramework>
{
    public void Configure(EntityTypeBuilder<SkillFramework> builder)
    {
        builder.ToTable("SkillFrameworks");
        builder.Property(f => f.Key).HasMaxLength(100);
        builder.Property(f => f.Name).HasMaxLength(300);
        builder.HasIndex(f => new { f.TenantId, f.Key }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(f => f.Skills).WithOne().HasForeignKey(s => s.FrameworkId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SkillConfiguration : IEntityTypeConfiguration<Skill>
{
    public void Configure(EntityTypeBuilder<Skill> builder)
    {
        builder.ToTable("Skills");
        builder.Property(s => s.Code).HasMaxLength(50);
        builder.Property(s => s.Name).HasMaxLength(500);
        builder.HasIndex(s => new { s.FrameworkId, s.Code }).IsUnique();
    }
}

internal sealed class SkillAlignmentConfiguration : IEntityTypeConfiguration<SkillAlignment>
{
    public void Configure(EntityTypeBuilder<SkillAlignment> builder)
    {
        builder.ToTable("SkillAlignments");
        builder.HasKey(a => new { a.CredentialVersionId, a.SkillId });
        builder.HasIndex(a => a.SkillId);
        builder.HasOne<CredentialVersion>().WithMany().HasForeignKey(a => a.CredentialVersionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Skill>().WithMany().HasForeignKey(a => a.SkillId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CredentialStackConfiguration : IEntityTypeConfiguration<CredentialStack>
{
    public void Configure(EntityTypeBuilder<CredentialStack> builder)
    {
        builder.ToTable("Stacks");
        builder.Property(s => s.Key).HasMaxLength(100);
        builder.Property(s => s.Title).HasMaxLength(300);
        builder.Property(s => s.Description).HasMaxLength(2000);
        builder.HasIndex(s => new { s.TenantId, s.Key }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Entries).WithOne().HasForeignKey(e => e.StackId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StackEntryConfiguration : IEntityTypeConfiguration<StackEntry>
{
    public void Configure(EntityTypeBuilder<StackEntry> builder)
    {
        builder.ToTable("StackEntries");
        builder.HasKey(e => new { e.StackId, e.CredentialId });
        builder.HasOne<Credential>().WithMany().HasForeignKey(e => e.CredentialId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PathwayConfiguration : IEntityTypeConfiguration<Pathway>
{
    public void Configure(EntityTypeBuilder<Pathway> builder)
    {
        builder.ToTable("Pathways");
        builder.Property(p => p.Key).HasMaxLength(100);
        builder.Property(p => p.Title).HasMaxLength(300);
        builder.Property(p => p.Description).HasMaxLength(2000);
        builder.Property(p => p.RewardDetail).HasMaxLength(300);
        builder.HasIndex(p => new { p.TenantId, p.Key }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Entries).WithOne().HasForeignKey(e => e.PathwayId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PathwayEntryConfiguration : IEntityTypeConfiguration<PathwayEntry>
{
    public void Configure(EntityTypeBuilder<PathwayEntry> builder)
    {
        builder.ToTable("PathwayEntries");
        builder.HasKey(e => new { e.PathwayId, e.CredentialId });
        builder.HasOne<Credential>().WithMany().HasForeignKey(e => e.CredentialId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OfferingConfiguration : IEntityTypeConfiguration<Offering>
{
    public void Configure(EntityTypeBuilder<Offering> builder)
    {
        builder.ToTable("Offerings");
        builder.ComplexProperty(o => o.Incentive, incentive =>
        {
            incentive.Property(i => i.Kind).HasColumnName("IncentiveKind");
            incentive.Property(i => i.Amount).HasColumnName("IncentiveAmount").HasPrecision(12, 2);
            incentive.Property(i => i.CredentialsPerUnit).HasColumnName("IncentiveCredentialsPerUnit");
        });
        builder.HasIndex(o => new { o.TenantId, o.CredentialId, o.SchoolId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Credential>().WithMany().HasForeignKey(o => o.CredentialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<School>().WithMany().HasForeignKey(o => o.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IncentiveBudgetConfiguration : IEntityTypeConfiguration<IncentiveBudget>
{
    public void Configure(EntityTypeBuilder<IncentiveBudget> builder)
    {
        builder.ToTable("IncentiveBudgets");
        builder.Property(b => b.Amount).HasPrecision(12, 2);
        builder.Property(b => b.Revision).IsConcurrencyToken();
        builder.HasIndex(b => new { b.TenantId, b.Year, b.Kind, b.SchoolId }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(b => b.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(b => b.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProgrammeSettingsConfiguration : IEntityTypeConfiguration<ProgrammeSettings>
{
    public void Configure(EntityTypeBuilder<ProgrammeSettings> builder)
    {
        builder.ToTable("ProgrammeSettings");
        builder.HasKey(s => s.TenantId);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<ProgrammeSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
