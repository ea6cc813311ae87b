using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reviews;

/// <summary>A credential's peer review setting as the district admin enters it.</summary>
public sealed record ReviewPolicyInput(int RequiredReviews, bool Anonymous, int DueSchoolDays, int ReminderSchoolDays, int ReallocateAfterSchoolDays, ReviewerEligibility Eligibility);

/// <summary>
/// The district admin sets a credential's peer review: how many reviews (0 = none, the principal decides alone),
/// anonymity, the school days a reviewer has, and who is eligible. Applies to attempts submitted from now on.
/// </summary>
public sealed class SetReviewPolicy(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MaxReviews = 5;

    public async Task HandleAsync(Actor actor, Guid credentialId, ReviewPolicyInput input, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var credential = await db.Credentials.AsNoTracking().SingleOrDefaultAsync(c => c.Id == credentialId && c.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("This microcredential is not in your district's catalog.");
        Validate(input);
        var policy = await db.ReviewPolicies.SingleOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);
        if (policy is null)
        {
            policy = new ReviewPolicy { CredentialId = credentialId, TenantId = actor.TenantId };
            db.ReviewPolicies.Add(policy);
        }

        Apply(policy, input, time.GetUtcNow());
        audit.Record(actor, "policy.changed", "credential", credentialId, Describe(credential.Title, input));
        await db.SaveChangesAsync(cancellationToken);
    }

    public static void Validate(ReviewPolicyInput input)
    {
        var errors = new Dictionary<string, string>();
        if (input.RequiredReviews is < 0 or > MaxReviews)
        {
            errors["required"] = $"The number of reviews must be from 0 to {MaxReviews}.";
        }

        if (input.DueSchoolDays is < 1 or > 60)
        {
            errors["due"] = "Reviewers need from 1 to 60 school days.";
        }

        if (input.ReminderSchoolDays < 0 || input.ReminderSchoolDays >= Math.Max(1, input.DueSchoolDays))
        {
            errors["reminder"] = "The reminder must come from 0 school days up to one day less than the review's school days.";
        }

        if (input.ReallocateAfterSchoolDays is < 0 or > 30)
        {
            errors["reallocate"] = "Reallocation after 0 to 30 overdue school days.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }
    }

    public static void Apply(ReviewPolicy policy, ReviewPolicyInput input, DateTimeOffset now)
    {
        policy.RequiredReviews = input.RequiredReviews;
        policy.Anonymous = input.Anonymous;
        policy.DueSchoolDays = input.DueSchoolDays;
        policy.ReminderSchoolDays = input.ReminderSchoolDays;
        policy.ReallocateAfterSchoolDays = input.ReallocateAfterSchoolDays;
        policy.Eligibility = input.Eligibility;
        policy.UpdatedAt = now;
    }

    private static string Describe(string title, ReviewPolicyInput input) =>
        $"{title}: {input.RequiredReviews} review(s), {(input.Anonymous ? "anonymous" : "named")}, due in {input.DueSchoolDays} school days, eligibility {input.Eligibility}";
}

/// <summary>The district-wide review settings: whether only calibrated reviewers are allocated, and the kappa that calibrates.</summary>
public sealed class SetReviewProgramme(AppDbContext db, AuditLog audit)
{
    public async Task HandleAsync(Actor actor, bool requireCalibratedReviewers, double kappaThreshold, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        if (double.IsNaN(kappaThreshold) || kappaThreshold is < 0 or > 1)
        {
            throw InvalidInputException.For("kappa", "The calibration threshold is a weighted kappa from 0 to 1 (0.6 is usual).");
        }

        var settings = await SetProgrammeSettings.ForChangeAsync(db, actor.TenantId, cancellationToken);
        settings.RequireCalibratedReviewers = requireCalibratedReviewers;
        settings.CalibrationKappaThreshold = kappaThreshold;
        audit.Record(actor, "policy.changed", "district", actor.TenantId,
            $"Calibrated reviewers {(requireCalibratedReviewers ? "required" : "not required")}; kappa threshold {kappaThreshold:0.00}");
        await db.SaveChangesAsync(cancellationToken);
    }
}
