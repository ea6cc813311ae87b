using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Attempts;

/// <summary>The teacher writes (and rewrites, after a return) how the credential aligns with goals and the plan to complete it.</summary>
public sealed class SavePlan(AttemptLifecycle lifecycle)
{
    public const int MaxAlignmentLength = 4000;
    public const int MaxSteps = 20;

    public async Task HandleAsync(Actor actor, Guid attemptId, AttemptPlan plan, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        Validate(plan, DateOnly.FromDateTime(lifecycle.Now.UtcDateTime));
        lifecycle.Move(attempt, AttemptTrigger.BeginPlan, actor);
        attempt.Plan = plan with { Alignment = plan.Alignment.Trim() };
        await lifecycle.SaveAsync(cancellationToken);
    }

    private static void Validate(AttemptPlan plan, DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(plan.Alignment))
        {
            errors["Alignment"] = "Say how this microcredential aligns with your school's or district's goals.";
        }
        else if (plan.Alignment.Length > MaxAlignmentLength)
        {
            errors["Alignment"] = $"Keep the alignment under {MaxAlignmentLength} characters.";
        }

        if (plan.Steps.Count == 0)
        {
            errors["Steps"] = "Add at least one step of your plan with its target date.";
        }
        else if (plan.Steps.Count > MaxSteps)
        {
            errors["Steps"] = $"A plan has at most {MaxSteps} steps.";
        }
        else if (plan.Steps.FirstOrDefault(s => string.IsNullOrWhiteSpace(s.Description) || s.Description.Length > 500) is { } vague)
        {
            errors["Steps"] = $"Step {plan.Steps.ToList().IndexOf(vague) + 1} needs a description (up to 500 characters).";
        }
        else if (plan.Steps.FirstOrDefault(s => s.TargetDate < today) is { } past)
        {
            errors["Steps"] = $"Step {plan.Steps.ToList().IndexOf(past) + 1} has a target date in the past.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }
    }
}

/// <summary>The teacher sends the plan for pre-approval (only where the district requires it).</summary>
public sealed class SubmitPlan(AppDbContext db, AttemptLifecycle lifecycle)
{
    public async Task HandleAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        if (!await ProgrammeRules.RequirePlanApprovalAsync(db, actor.TenantId, cancellationToken))
        {
            throw new RuleViolationException("Your district does not ask for plan approval: start gathering evidence instead.");
        }

        if (attempt.Plan is null)
        {
            throw new RuleViolationException("Write your plan before sending it for approval.");
        }

        lifecycle.Move(attempt, AttemptTrigger.SubmitPlan, actor);
        await lifecycle.SaveAsync(cancellationToken);
    }
}

public enum PlanDecision
{
    Approve,
    Return,
    Decline,
}

/// <summary>
/// The principal (of the attempt's school) or a district administrator approves the plan, returns it with comments,
/// or declines it. Approval reserves the incentive against the year's budget, and is refused when that would
/// overspend it: approval is what makes the incentive payable.
/// </summary>
public sealed class DecidePlan(AppDbContext db, AttemptLifecycle lifecycle, AuditLog audit)
{
    public async Task HandleAsync(Actor actor, Guid attemptId, PlanDecision decision, string? comment, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.LedAsync(actor, attemptId, cancellationToken);
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (decision != PlanDecision.Approve && comment is null)
        {
            throw InvalidInputException.For("Comment", "Say what the teacher should change (returning) or why (declining).");
        }

        if (comment is { Length: > 4000 })
        {
            throw InvalidInputException.For("Comment", "Keep the comment under 4000 characters.");
        }

        lifecycle.Move(attempt, decision switch
        {
            PlanDecision.Approve => AttemptTrigger.ApprovePlan,
            PlanDecision.Return => AttemptTrigger.ReturnPlan,
            _ => AttemptTrigger.DeclinePlan,
        }, actor, comment);
        attempt.PlanComment = comment;
        attempt.PlanDecidedBy = actor.PersonId;
        attempt.PlanDecidedAt = lifecycle.Now;
        if (decision == PlanDecision.Approve)
        {
            await ReserveAsync(attempt, cancellationToken);
        }

        audit.Record(actor, decision switch
        {
            PlanDecision.Approve => "plan.approved",
            PlanDecision.Return => "plan.returned",
            _ => "plan.declined",
        }, "attempt", attempt.Id, comment);
        await lifecycle.SaveAsync(cancellationToken);
    }

    private async Task ReserveAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var offering = await db.Offerings.AsNoTracking().SingleAsync(o => o.Id == attempt.OfferingId, cancellationToken);
        var incentive = offering.Incentive;
        attempt.ReservedIncentive = incentive;
        if (incentive.Kind == IncentiveKind.None || incentive.PerAward <= 0)
        {
            return;
        }

        var year = BudgetYear.Of(lifecycle.Now);
        attempt.BudgetYear = year;
        var budget = await Budgets.FindAsync(db, attempt.TenantId, attempt.SchoolId, year, incentive.Kind, cancellationToken);
        if (budget is not null)
        {
            var reserved = await db.BudgetReservations
                .Where(r => r.TenantId == attempt.TenantId && r.Year == year && r.Kind == incentive.Kind && r.SchoolId == budget.SchoolId && r.ReleasedAt == null)
                .SumAsync(r => (decimal?)r.Amount, cancellationToken) ?? 0m;
            if (reserved + incentive.PerAward > budget.Amount)
            {
                throw new RuleViolationException(
                    $"The {BudgetYear.Describe(year)} budget for {Budgets.Describe(incentive.Kind)} is exhausted: {reserved:0.##} of {budget.Amount:0.##} is already reserved, and this plan needs {incentive.PerAward:0.##}. Ask the district to raise the budget, or return the plan.");
            }

            // Reserving changes the budget row: a second approval that read the same total fails to save and is retried.
            budget.Revision = Guid.NewGuid();
        }

        db.BudgetReservations.Add(new BudgetReservation
        {
            Id = Guid.NewGuid(),
            TenantId = attempt.TenantId,
            SchoolId = budget?.SchoolId,
            Year = year,
            Kind = incentive.Kind,
            Amount = incentive.PerAward,
            AttemptId = attempt.Id,
            ReservedAt = lifecycle.Now,
        });
    }
}

/// <summary>Budgets are per school year, which starts on 1 July: 2026 is the year from July 2026 to June 2027.</summary>
public static class BudgetYear
{
    public static int Of(DateTimeOffset at) => at.UtcDateTime.Month >= 7 ? at.UtcDateTime.Year : at.UtcDateTime.Year - 1;

    public static string Describe(int year) => $"{year}-{(year + 1) % 100:00}";
}

internal static class Budgets
{
    /// <summary>The school's own budget when it has one, otherwise the district's.</summary>
    public static async Task<IncentiveBudget?> FindAsync(AppDbContext db, Guid tenantId, Guid? schoolId, int year, IncentiveKind kind, CancellationToken cancellationToken)
    {
        var budgets = await db.IncentiveBudgets
            .Where(b => b.TenantId == tenantId && b.Year == year && b.Kind == kind && (b.SchoolId == null || b.SchoolId == schoolId))
            .ToListAsync(cancellationToken);
        return budgets.FirstOrDefault(b => b.SchoolId is not null) ?? budgets.FirstOrDefault();
    }

    public static string Describe(IncentiveKind kind) => kind switch
    {
        IncentiveKind.InServiceHours => "in-service hours",
        IncentiveKind.PdPoints => "PD points",
        IncentiveKind.CpdUnits => "CPD units",
        IncentiveKind.Stipend => "stipends",
        IncentiveKind.SalaryStep => "salary steps",
        _ => "incentives",
    };
}

internal static class ProgrammeRules
{
    public static async Task<bool> RequirePlanApprovalAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        await db.ProgrammeSettings.AsNoTracking().Where(s => s.TenantId == tenantId).Select(s => (bool?)s.RequirePlanApproval).SingleOrDefaultAsync(cancellationToken)
        ?? new ProgrammeSettings().RequirePlanApproval;
}
