using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Evidence;
using LtiMicroCred.LtiStorage;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LtiMicroCred.Persistence;

/// <summary>The one EF Core model, on SQLite, PostgreSQL or SQL Server; each has its own migrations assembly.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    internal const string SqliteProviderName = "Microsoft.EntityFrameworkCore.Sqlite";

    internal const string PostgreSqlProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// The database runs in this process (SQLite): a statement costs no round trip, but Microsoft.Data.Sqlite prepares
    /// each command afresh, and planning a join costs more than the point reads it replaces. On a server database the
    /// round trip is the larger cost. The launch benchmark measured both ways (README, "Performance").
    /// </summary>
    internal bool IsInProcess => Database.ProviderName == SqliteProviderName;

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<PlatformRegistration> Platforms => Set<PlatformRegistration>();

    public DbSet<PlatformDeployment> Deployments => Set<PlatformDeployment>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<Course> Courses => Set<Course>();

    public DbSet<Enrollment> Enrollments => Set<Enrollment>();

    public DbSet<LaunchStateRecord> LaunchStates => Set<LaunchStateRecord>();

    public DbSet<ToolKeyRecord> ToolKeys => Set<ToolKeyRecord>();

    public DbSet<ServiceTokenRecord> ServiceTokens => Set<ServiceTokenRecord>();

    public DbSet<School> Schools => Set<School>();

    public DbSet<SchoolMembership> SchoolMemberships => Set<SchoolMembership>();

    public DbSet<SchoolAlias> SchoolAliases => Set<SchoolAlias>();

    public DbSet<Credential> Credentials => Set<Credential>();

    public DbSet<CredentialVersion> CredentialVersions => Set<CredentialVersion>();

    public DbSet<SkillFramework> SkillFrameworks => Set<SkillFramework>();

    public DbSet<Skill> Skills => Set<Skill>();

    public DbSet<SkillAlignment> SkillAlignments => Set<SkillAlignment>();

    public DbSet<CredentialStack> Stacks => Set<CredentialStack>();

    public DbSet<Pathway> Pathways => Set<Pathway>();

    public DbSet<Offering> Offerings => Set<Offering>();

    public DbSet<IncentiveBudget> IncentiveBudgets => Set<IncentiveBudget>();

    public DbSet<ProgrammeSettings> ProgrammeSettings => Set<ProgrammeSettings>();

    public DbSet<Attempt> Attempts => Set<Attempt>();

    public DbSet<AttemptEvent> AttemptEvents => Set<AttemptEvent>();

    public DbSet<BudgetReservation> BudgetReservations => Set<BudgetReservation>();

    public DbSet<EvidenceItem> EvidenceItems => Set<EvidenceItem>();

    public DbSet<StoredFile> StoredFiles => Set<StoredFile>();

    public DbSet<Reflection> Reflections => Set<Reflection>();

    public DbSet<AssignmentMapping> AssignmentMappings => Set<AssignmentMapping>();

    public DbSet<EvidencePull> EvidencePulls => Set<EvidencePull>();

    public DbSet<ReviewPolicy> ReviewPolicies => Set<ReviewPolicy>();

    public DbSet<ReviewAssignment> ReviewAssignments => Set<ReviewAssignment>();

    public DbSet<ReviewerConflict> ReviewerConflicts => Set<ReviewerConflict>();

    public DbSet<ReviewerCalibration> ReviewerCalibrations => Set<ReviewerCalibration>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AttemptDecision> AttemptDecisions => Set<AttemptDecision>();

    public DbSet<ExtensionRequest> ExtensionRequests => Set<ExtensionRequest>();

    public DbSet<PathwayReview> PathwayReviews => Set<PathwayReview>();

    public DbSet<PathwayReviewVote> PathwayReviewVotes => Set<PathwayReviewVote>();

    public DbSet<Calibration.ReferenceSubmission> ReferenceSubmissions => Set<Calibration.ReferenceSubmission>();

    public DbSet<Calibration.CalibrationScore> CalibrationScores => Set<Calibration.CalibrationScore>();

    public DbSet<Coaching.CoachAssignment> CoachAssignments => Set<Coaching.CoachAssignment>();

    public DbSet<Coaching.CheckIn> CheckIns => Set<Coaching.CheckIn>();

    public DbSet<Ledger.LedgerEntry> LedgerEntries => Set<Ledger.LedgerEntry>();

    public DbSet<Ledger.LedgerSettings> LedgerSettings => Set<Ledger.LedgerSettings>();

    public DbSet<CanvasDeveloperKeyRecord> CanvasDeveloperKeys => Set<CanvasDeveloperKeyRecord>();

    public DbSet<CanvasConnection> CanvasConnections => Set<CanvasConnection>();

    public DbSet<Outbox.OutboxMessage> OutboxMessages => Set<Outbox.OutboxMessage>();

    public DbSet<ResultPosting.Webhooks.WebhookSettings> WebhookSettings => Set<ResultPosting.Webhooks.WebhookSettings>();

    public DbSet<Celebrations.Notification> Notifications => Set<Celebrations.Notification>();

    public DbSet<Celebrations.NotificationPreference> NotificationPreferences => Set<Celebrations.NotificationPreference>();

    public DbSet<Celebrations.DigestSettings> DigestSettings => Set<Celebrations.DigestSettings>();

    public DbSet<Celebrations.DigestRun> DigestRuns => Set<Celebrations.DigestRun>();
    public DbSet<ResultPosting.Hours.HoursSettings> HoursSettings => Set<ResultPosting.Hours.HoursSettings>();

    public DbSet<ResultPosting.Hours.CredentialLineItem> CredentialLineItems => Set<ResultPosting.Hours.CredentialLineItem>();

    public DbSet<Badges.IssuedBadge> IssuedBadges => Set<Badges.IssuedBadge>();

    public DbSet<Badges.BadgeIssuerSettings> BadgeIssuerSettings => Set<Badges.BadgeIssuerSettings>();

    public DbSet<Portfolio.PortfolioExport> PortfolioExports => Set<Portfolio.PortfolioExport>();

    public DbSet<Reports.SkillHolding> SkillHoldings => Set<Reports.SkillHolding>();

    public DbSet<Reports.SkillHoldingCount> SkillHoldingCounts => Set<Reports.SkillHoldingCount>();

    public DbSet<Reports.ReportSummaryState> ReportSummaryStates => Set<Reports.ReportSummaryState>();

    /// <summary>The ASP.NET Data Protection key ring, shared by every node through the database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time-with-offset type and cannot compare the text form; every time we store is UTC,
        // so a binary (ticks) column keeps comparisons and ordering in SQL.
        if (Database.ProviderName == SqliteProviderName)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
}
