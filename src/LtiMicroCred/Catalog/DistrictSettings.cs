using System.Globalization;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using LtiMicroCred.ResultPosting;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Catalog;

/// <summary>
/// An offering as the district settings form gives it: the window as dates, in UTC (the product keeps no district time
/// zone); the window opens at the start of its first day and closes at the end of its last.
/// </summary>
public sealed record OfferingInput(Guid CredentialId, Guid? SchoolId, DateOnly? Opens, DateOnly? Closes, IncentiveKind Kind, decimal Amount, int CredentialsPerUnit, bool Active)
{
    public DateTimeOffset? OpensAt => Opens is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    public DateTimeOffset? ClosesAt => Closes is { } d ? new DateTimeOffset(d.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero) : null;
}

public sealed record BudgetInput(int Year, Guid? SchoolId, IncentiveKind Kind, decimal Amount);

/// <summary>
/// Adds or edits one offering from the district settings page. The rules are the catalog file's (<see cref="CatalogValidator"/>),
/// so an offering typed in a form and one imported are held to the same ones; the refusals name the form's fields.
/// </summary>
public sealed class SaveOffering(AppDbContext db, AuditLog audit)
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        [string.Empty] = "school", ["credential"] = "credential", ["school"] = "school", ["closesAt"] = "closes",
        ["incentive"] = "kind", ["incentive.kind"] = "kind", ["incentive.amount"] = "amount", ["incentive.credentialsPerUnit"] = "perUnit",
    };

    public async Task<Guid> HandleAsync(Actor actor, Guid? offeringId, OfferingInput input, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        Offering? offering = null;
        if (offeringId is { } id)
        {
            offering = await db.Offerings.SingleOrDefaultAsync(o => o.Id == id && o.TenantId == actor.TenantId, cancellationToken)
                ?? throw new NotFoundException("This offering is not in your district.");
        }

        var credential = await db.Credentials.AsNoTracking().Where(c => c.Id == input.CredentialId && c.TenantId == actor.TenantId)
            .Select(c => new { c.Key, c.Title, c.Retired }).SingleOrDefaultAsync(cancellationToken);
        var schoolKnown = input.SchoolId is not { } schoolId || await db.Schools.AnyAsync(s => s.Id == schoolId && s.TenantId == actor.TenantId, cancellationToken);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        // An offering of a credential retired since may still be edited (to close or deactivate it); a new one may not.
        if (credential is null || (credential.Retired && offering?.CredentialId != input.CredentialId))
        {
            errors["credential"] = "Choose a microcredential of your district that is not retired.";
        }

        if (!schoolKnown)
        {
            errors["school"] = "Choose one of your district's schools, or every school.";
        }

        if (errors.Count == 0 && await db.Offerings.AnyAsync(o => o.TenantId == actor.TenantId && o.CredentialId == input.CredentialId && o.SchoolId == input.SchoolId
                && o.Id != offeringId, cancellationToken))
        {
            errors["school"] = $"“{credential!.Title}” is already offered there. Edit that offering instead.";
        }

        // The validator speaks of keys and codes: the chosen credential and school stand in for them, already checked above.
        var school = input.SchoolId?.ToString("N");
        var document = new CatalogDocument
        {
            Format = CatalogDocument.CurrentFormat,
            Offerings = [new CatalogOffering
            {
                Credential = credential?.Key ?? "?", School = school, OpensAt = input.OpensAt, ClosesAt = input.ClosesAt, Active = input.Active,
                Incentive = new CatalogIncentive { Kind = input.Kind, Amount = input.Amount, CredentialsPerUnit = input.CredentialsPerUnit },
            }],
        };
        var references = new CatalogReferences(new Dictionary<string, IReadOnlySet<string>>(),
            new HashSet<string>(credential is null ? [] : [credential.Key], StringComparer.Ordinal), new HashSet<string>(school is null ? [] : [school], StringComparer.Ordinal));
        foreach (var problem in CatalogValidator.Validate(document, references))
        {
            var field = Fields.GetValueOrDefault(FormField.Of(problem.Path), "credential");
            errors.TryAdd(field, FormField.Sentence(field, problem.Reason));
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var created = offering is null;
        offering ??= db.Offerings.Add(new Offering { Id = Guid.NewGuid(), TenantId = actor.TenantId, Incentive = Incentive.None }).Entity;
        offering.CredentialId = input.CredentialId;
        offering.SchoolId = input.SchoolId;
        offering.WindowOpensAt = input.OpensAt;
        offering.WindowClosesAt = input.ClosesAt;
        offering.Incentive = new Incentive(input.Kind, input.Amount, input.CredentialsPerUnit);
        offering.Active = input.Active;
        audit.Record(actor, created ? "offering.created" : "offering.changed", "offering", offering.Id, string.Create(CultureInfo.InvariantCulture,
            $"{credential!.Title}; {(input.SchoolId is null ? "district-wide" : "one school")}; window {input.Opens?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "open"} to {input.Closes?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "open"}; {input.Kind} {input.Amount}; {(input.Active ? "active" : "inactive")}"));
        await db.SaveChangesAsync(cancellationToken);
        return offering.Id;
    }
}

/// <summary>
/// Adds a yearly budget, or changes an existing one's amount. An amount below what plan approvals have already reserved
/// against the budget is refused (an award keeps its reservation, so the awarded part is inside the reserved one).
/// </summary>
public sealed class SaveBudget(AppDbContext db, AuditLog audit)
{
    public async Task<Guid> HandleAsync(Actor actor, Guid? budgetId, BudgetInput input, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        IncentiveBudget budget;
        if (budgetId is { } id)
        {
            budget = await db.IncentiveBudgets.SingleOrDefaultAsync(b => b.Id == id && b.TenantId == actor.TenantId, cancellationToken)
                ?? throw new NotFoundException("This budget is not in your district.");
            // The year, kind and school say which budget it is; only the amount is edited.
            input = input with { Year = budget.Year, Kind = budget.Kind, SchoolId = budget.SchoolId };
        }
        else
        {
            budget = new IncentiveBudget { Id = Guid.NewGuid(), TenantId = actor.TenantId, Revision = Guid.NewGuid() };
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input.SchoolId is { } schoolId && !await db.Schools.AnyAsync(s => s.Id == schoolId && s.TenantId == actor.TenantId, cancellationToken))
        {
            errors["school"] = "Choose one of your district's schools, or the district.";
        }

        var document = new CatalogDocument
        {
            Format = CatalogDocument.CurrentFormat,
            Budgets = [new CatalogBudget { Year = input.Year, Kind = input.Kind, Amount = input.Amount }],
        };
        foreach (var problem in CatalogValidator.Validate(document, CatalogReferences.None))
        {
            var field = FormField.Of(problem.Path) is { Length: > 0 } named ? named : "year";
            errors.TryAdd(field, FormField.Sentence(field, problem.Reason));
        }

        if (budgetId is null && errors.Count == 0 && await db.IncentiveBudgets.AnyAsync(b => b.TenantId == actor.TenantId && b.Year == input.Year && b.Kind == input.Kind
                && b.SchoolId == input.SchoolId, cancellationToken))
        {
            errors["school"] = $"There is already a {BudgetYear.Describe(input.Year)} budget of {Budgets.Describe(input.Kind)} there. Change its amount instead.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var reserved = await db.BudgetReservations
            .Where(r => r.TenantId == actor.TenantId && r.Year == input.Year && r.Kind == input.Kind && r.SchoolId == input.SchoolId && r.ReleasedAt == null)
            .SumAsync(r => (decimal?)r.Amount, cancellationToken) ?? 0m;
        if (input.Amount < reserved)
        {
            throw InvalidInputException.For("amount", string.Create(CultureInfo.InvariantCulture,
                $"Approved plans have already reserved {reserved:0.##} of this budget (awards included), so it cannot be lowered to {input.Amount:0.##}. Choose {reserved:0.##} or more."));
        }

        var before = budget.Amount;
        budget.Year = input.Year;
        budget.Kind = input.Kind;
        budget.SchoolId = input.SchoolId;
        budget.Amount = input.Amount;
        // A new revision makes a plan approval that read the old amount at the same time fail to save and try again.
        budget.Revision = Guid.NewGuid();
        if (budgetId is null)
        {
            db.IncentiveBudgets.Add(budget);
        }

        audit.Record(actor, budgetId is null ? "budget.created" : "budget.changed", "budget", budget.Id, string.Create(CultureInfo.InvariantCulture,
            $"{BudgetYear.Describe(input.Year)} {input.Kind} {(input.SchoolId is null ? "district" : "school")}: {(budgetId is null ? string.Empty : $"{before:0.##} -> ")}{input.Amount:0.##}"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleViolationException("A plan was approved against this budget while you were changing it, so nothing was saved. Open the page again and save once more.");
        }

        return budget.Id;
    }
}

/// <summary>The district's grading and plan rules. The peer review half (calibration) is <see cref="Reviews.SetReviewProgramme"/>.</summary>
public sealed class SetProgrammeSettings(AppDbContext db, AuditLog audit)
{
    public async Task HandleAsync(Actor actor, bool requirePlanApproval, GradeScale gradeScale, NotYetGrade notYetGrade, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Enum.IsDefined(gradeScale))
        {
            errors["gradeScale"] = "Choose rubric points or complete/incomplete.";
        }

        if (!Enum.IsDefined(notYetGrade))
        {
            errors["notYetGrade"] = "Choose a score or a pending grade.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var settings = await ForChangeAsync(db, actor.TenantId, cancellationToken);
        settings.RequirePlanApproval = requirePlanApproval;
        settings.GradeScale = gradeScale;
        settings.NotYetGrade = notYetGrade;
        audit.Record(actor, "policy.changed", "district", actor.TenantId,
            $"Plan approval {(requirePlanApproval ? "required" : "not required")}; grade scale {gradeScale}; not yet posts {notYetGrade}");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The district's settings row, tracked, added with the defaults when the district has none yet.</summary>
    internal static async Task<ProgrammeSettings> ForChangeAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var settings = await db.ProgrammeSettings.SingleOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        if (settings is null)
        {
            settings = new ProgrammeSettings { TenantId = tenantId };
            db.ProgrammeSettings.Add(settings);
        }

        return settings;
    }
}

/// <summary>Turns a catalog problem (a JSON path and a lower-case reason) into a form field and a sentence.</summary>
internal static class FormField
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["amount"] = "The amount", ["perUnit"] = "Credentials per unit", ["kind"] = "The kind", ["year"] = "The year", ["school"] = "The school",
    };

    /// <summary>The path inside the one entry: <c>$.offerings[0].incentive.amount</c> gives <c>incentive.amount</c>.</summary>
    public static string Of(string path) => path.IndexOf("].", StringComparison.Ordinal) is var at and >= 0 ? path[(at + 2)..] : string.Empty;

    /// <summary>A reason that names its subject is kept ("the window must close after it opens."); another gets the field's name.</summary>
    public static string Sentence(string field, string reason) => reason.StartsWith("the ", StringComparison.Ordinal)
        ? "T" + reason[1..]
        : $"{Labels.GetValueOrDefault(field, "This value")} {reason}";
}
