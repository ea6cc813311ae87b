using LtiMicroCred.Jobs;
using LtiMicroCred.Launches;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Login;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Registration;
using LtiMicroCred.LtiStorage;
using LtiMicroCred.Reviews;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtiMicroCred;

public static class ProductServiceCollectionExtensions
{
    /// <summary>The product's use cases, jobs and the database-backed stores the LTI layer asks for.</summary>
    public static IServiceCollection AddProduct(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PlatformRegistryCache>();
        services.AddScoped<EfPlatformRegistry>();
        services.AddScoped<CachedPlatformRegistry>();
        services.AddScoped<IPlatformRegistry>(sp => sp.GetRequiredService<CachedPlatformRegistry>());
        services.AddScoped<ILaunchStateStore, EfLaunchStateStore>();
        // Singleton key set, scoped store: the key set opens a scope per read (it caches between reads).
        services.AddSingleton<IToolKeyStore, ScopedToolKeyStore>();
        services.AddScoped<EfToolKeyStore>();
        services.AddSingleton<Lti.Services.Tokens.IServiceTokenCache, EfServiceTokenCache>();
        services.AddScoped<RecordLaunch>();
        services.AddScoped<Access.ActorDirectory>();
        services.AddAttempts();
        services.AddScoped<RegisterPlatform>();
        services.AddSingleton<TenantNames>();
        services.AddScoped<Catalog.ImportCatalog>();
        services.AddScoped<Catalog.SaveOffering>();
        services.AddScoped<Catalog.SaveBudget>();
        services.AddScoped<Catalog.SetProgrammeSettings>();
        services.AddScoped<Catalog.DistrictSettingsQueries>();
        services.AddScoped<Catalog.ExportCatalog>();
        services.AddScoped<Catalog.CatalogEditor>();
        services.AddScoped<Catalog.BrowseCatalog>();
        services.AddScoped<Catalog.GetCredential>();
        services.AddScoped<Catalog.CatalogOverview>();
        services.AddScoped<Catalog.Sample.SampleCatalog>();
        services.AddScoped<IDynamicRegistrationStore, EfDynamicRegistrationStore>();
        services.AddScoped<ToolKeyRotationJob>();
        services.AddScoped<LaunchStatePurgeJob>();
        services.AddSchools();
        services.AddDecisions();
        services.AddCalibrationAndCoaching();
        services.AddReviews();
        Outbox.OutboxServiceCollectionExtensions.AddOutbox(services);
        services.AddScoped<ResultPosting.GradePassback>();
        Outbox.OutboxServiceCollectionExtensions.AddOutboxHandler<ResultPosting.GradePassbackHandler>(services, ResultPosting.GradePassback.Kind);
        Celebrations.CelebrationsServiceCollectionExtensions.AddCelebrations(services);
        Badges.BadgesServiceCollectionExtensions.AddBadges(services);
        Platforms.PlatformsServiceCollectionExtensions.AddPlatformAdministration(services);
        Portfolio.PortfolioServiceCollectionExtensions.AddPortfolio(services);
        return services;
    }

    /// <summary>Decisions: the principal's queue, award / not yet, extension requests, pathway committees, the audit log.</summary>
    private static void AddDecisions(this IServiceCollection services)
    {
        services.AddScoped<Decisions.PrincipalQueue>();
        services.AddScoped<Decisions.DecideAttempt>();
        services.AddScoped<Decisions.DecisionQueries>();
        services.AddScoped<Decisions.RequestExtension>();
        services.AddScoped<Decisions.AnswerExtensionRequest>();
        services.AddScoped<Decisions.PathwayCommittee>();
        services.AddScoped<Decisions.PathwayQueries>();
        services.AddScoped<Decisions.RequestPathwayReview>();
        services.AddScoped<Decisions.VotePathwayReview>();
        services.AddScoped<Decisions.AuditQueries>();
        services.AddScoped<Ledger.LedgerPosting>();
        services.AddScoped<Ledger.CorrectLedgerEntry>();
        services.AddScoped<Ledger.LedgerQueries>();
        services.AddScoped<Ledger.SetLedgerSettings>();
        services.AddScoped<Reports.ReportQueries>();
        services.AddScoped<Reports.ExpertiseQueries>();
        services.AddScoped<Reports.IncentiveQueries>();
        services.AddScoped<Reports.ReportSummaries>();
        services.AddScoped<Reports.ReportSummaryJob>();
        ResultPosting.Webhooks.WebhookServiceCollectionExtensions.AddLedgerWebhook(services);
        ResultPosting.Hours.HoursServiceCollectionExtensions.AddHoursPassback(services);
    }

    /// <summary>Reviewer calibration (reference submissions, the exercise) and coach check-ins.</summary>
    private static void AddCalibrationAndCoaching(this IServiceCollection services)
    {
        services.AddScoped<Calibration.ManageReferences>();
        services.AddScoped<Calibration.CalibrationQueries>();
        services.AddScoped<Calibration.CalibrationExercise>();
        services.AddScoped<Coaching.ManageCoaches>();
        services.AddScoped<Coaching.CoachingQueries>();
        services.AddScoped<Coaching.TeacherCheckIns>();
        services.AddScoped<Coaching.CoachCheckIns>();
    }

    /// <summary>Attempts, plans and evidence: the teacher's side of a credential.</summary>
    private static void AddAttempts(this IServiceCollection services)
    {
        services.AddScoped<Audit.AuditLog>();
        services.AddScoped<Attempts.AttemptLifecycle>();
        services.AddScoped<Attempts.StartAttempt>();
        services.AddScoped<Attempts.SavePlan>();
        services.AddScoped<Attempts.SubmitPlan>();
        services.AddScoped<Attempts.DecidePlan>();
        services.AddScoped<Attempts.StartWork>();
        services.AddScoped<Attempts.GrantExtension>();
        services.AddScoped<Attempts.SubmitForReview>();
        services.AddScoped<Attempts.WithdrawAttempt>();
        services.AddScoped<Attempts.ResubmitAttempt>();
        services.AddScoped<Attempts.AttemptQueries>();
        services.AddScoped<Evidence.EvidenceFiles>();
        services.AddScoped<Evidence.AddDirectEvidence>();
        services.AddScoped<Evidence.RemoveEvidence>();
        services.AddScoped<Evidence.SaveReflection>();
        services.AddScoped<Evidence.EvidenceAccess>();
        services.AddScoped<Evidence.RequestEvidencePull>();
        services.AddScoped<Evidence.MapAssignment>();
        services.AddScoped<Evidence.AssignmentMappingQueries>();
        services.AddScoped<Evidence.EvidencePlacements>();
        services.AddScoped<Evidence.LinkAssignmentFromLaunch>();
        services.AddScoped<Evidence.PullCanvasEvidenceJob>();
        services.TryAddSingleton<Evidence.IEvidenceScanner, Evidence.NoEvidenceScanner>();
        services.AddOptions<Evidence.EvidenceOptions>().BindConfiguration(Evidence.EvidenceOptions.Section);
        services.AddOptions<Evidence.FileStoreOptions>().BindConfiguration(Evidence.FileStoreOptions.Section);
        services.TryAddSingleton(_ => new Ganss.Xss.HtmlSanitizer());
    }
}
