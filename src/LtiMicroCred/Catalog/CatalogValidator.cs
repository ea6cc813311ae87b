using System.Globalization;
using System.Text.RegularExpressions;

namespace LtiMicroCred.Catalog;

/// <summary>What a catalog file may refer to that is already in the district (an import only adds and updates).</summary>
public sealed record CatalogReferences(
    IReadOnlyDictionary<string, IReadOnlySet<string>> SkillCodesByFramework,
    IReadOnlySet<string> CredentialKeys,
    IReadOnlySet<string> SchoolCodes)
{
    public static CatalogReferences None { get; } = new(new Dictionary<string, IReadOnlySet<string>>(), new HashSet<string>(), new HashSet<string>());
}

/// <summary>
/// Checks a whole catalog file before anything is written, and lists every problem with its JSON path, so an
/// administrator fixes the file in one pass instead of one import per mistake.
/// </summary>
public static partial class CatalogValidator
{
    // Lengths of the columns the values go to.
    private const int KeyLength = 100;
    private const int TitleLength = 300;
    private const int TextLength = 2000;
    private const int SkillCodeLength = 50;
    private const int SkillNameLength = 500;

    public static IReadOnlyList<CatalogProblem> Validate(CatalogDocument document, CatalogReferences existing)
    {
        var problems = new List<CatalogProblem>();
        void Problem(string path, string reason) => problems.Add(new CatalogProblem(path, reason));

        if (document.Format != CatalogDocument.CurrentFormat)
        {
            Problem("$.format", $"must be \"{CatalogDocument.CurrentFormat}\".");
        }

        if (document.Settings?.GradeScale is { } gradeScale && !Enum.IsDefined(gradeScale))
        {
            Problem("$.settings.gradeScale", "must be \"rubricPoints\" or \"completeIncomplete\".");
        }

        if (document.Settings?.NotYetGrade is { } notYetGrade && !Enum.IsDefined(notYetGrade))
        {
            Problem("$.settings.notYetGrade", "must be \"score\" or \"pending\".");
        }

        var skills = existing.SkillCodesByFramework.ToDictionary(f => f.Key, f => new HashSet<string>(f.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        var frameworkKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Frameworks.Count; i++)
        {
            var framework = document.Frameworks[i];
            var path = $"$.frameworks[{N(i)}]";
            if (Key(framework.Key, path + ".key", Problem) && !frameworkKeys.Add(framework.Key!))
            {
                Problem(path + ".key", $"the framework key \"{framework.Key}\" is used twice.");
            }

            Text(framework.Name, path + ".name", TitleLength, required: true, Problem);
            var codes = framework.Key is null ? [] : skills.TryGetValue(framework.Key, out var known) ? known : skills[framework.Key] = new HashSet<string>(StringComparer.Ordinal);
            var codesHere = new HashSet<string>(StringComparer.Ordinal);
            for (var s = 0; s < framework.Skills.Count; s++)
            {
                var skill = framework.Skills[s];
                var skillPath = $"{path}.skills[{N(s)}]";
                if (Text(skill.Code, skillPath + ".code", SkillCodeLength, required: true, Problem) && !codesHere.Add(skill.Code!))
                {
                    Problem(skillPath + ".code", $"the skill code \"{skill.Code}\" is used twice in this framework.");
                }

                codes.Add(skill.Code ?? string.Empty);
                Text(skill.Name, skillPath + ".name", SkillNameLength, required: true, Problem);
            }
        }

        var credentialKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Credentials.Count; i++)
        {
            var credential = document.Credentials[i];
            var path = $"$.credentials[{N(i)}]";
            if (Key(credential.Key, path + ".key", Problem) && !credentialKeys.Add(credential.Key!))
            {
                Problem(path + ".key", $"the credential key \"{credential.Key}\" is used twice.");
            }

            ValidateCredential(credential, path, skills, Problem);
        }

        var knownCredentials = new HashSet<string>(existing.CredentialKeys, StringComparer.Ordinal);
        knownCredentials.UnionWith(credentialKeys);

        var stackKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Stacks.Count; i++)
        {
            var stack = document.Stacks[i];
            var path = $"$.stacks[{N(i)}]";
            if (Key(stack.Key, path + ".key", Problem) && !stackKeys.Add(stack.Key!))
            {
                Problem(path + ".key", $"the stack key \"{stack.Key}\" is used twice.");
            }

            Text(stack.Title, path + ".title", TitleLength, required: true, Problem);
            Text(stack.Description, path + ".description", TextLength, required: false, Problem);
            if (stack.Credentials.Count == 0)
            {
                Problem(path + ".credentials", "a stack needs at least one credential.");
            }

            CredentialList(stack.Credentials, path + ".credentials", knownCredentials, new HashSet<string>(StringComparer.Ordinal), Problem);
        }

        var pathwayKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Pathways.Count; i++)
        {
            var pathway = document.Pathways[i];
            var path = $"$.pathways[{N(i)}]";
            if (Key(pathway.Key, path + ".key", Problem) && !pathwayKeys.Add(pathway.Key!))
            {
                Problem(path + ".key", $"the pathway key \"{pathway.Key}\" is used twice.");
            }

            Text(pathway.Title, path + ".title", TitleLength, required: true, Problem);
            Text(pathway.Description, path + ".description", TextLength, required: false, Problem);
            Text(pathway.RewardDetail, path + ".rewardDetail", TitleLength, required: pathway.Reward != PathwayReward.None, Problem);
            var inPathway = new HashSet<string>(StringComparer.Ordinal);
            CredentialList(pathway.Prerequisites, path + ".prerequisites", knownCredentials, inPathway, Problem);
            CredentialList(pathway.Credentials, path + ".credentials", knownCredentials, inPathway, Problem);
            if (pathway.MinimumCount < 1 || pathway.MinimumCount > pathway.Credentials.Count)
            {
                Problem(path + ".minimumCount", $"must be from 1 to the number of credentials listed ({N(pathway.Credentials.Count)}).");
            }

            if (pathway.CommitteeSize is < 0 or > 12)
            {
                Problem(path + ".committeeSize", "must be from 0 (no final review) to 12.");
            }
        }

        var offerings = new HashSet<(string?, string?)>();
        for (var i = 0; i < document.Offerings.Count; i++)
        {
            var offering = document.Offerings[i];
            var path = $"$.offerings[{N(i)}]";
            if (string.IsNullOrWhiteSpace(offering.Credential))
            {
                Problem(path + ".credential", "the credential key is missing.");
            }
            else if (!knownCredentials.Contains(offering.Credential))
            {
                Problem(path + ".credential", $"no credential has the key \"{offering.Credential}\".");
            }

            School(offering.School, path + ".school", existing.SchoolCodes, Problem);
            if (!offerings.Add((offering.Credential, offering.School)))
            {
                Problem(path, offering.School is null
                    ? "the credential is offered district-wide twice; keep one offering."
                    : $"the credential is offered twice at school \"{offering.School}\"; keep one offering.");
            }

            if (offering.OpensAt is { } opens && offering.ClosesAt is { } closes && closes <= opens)
            {
                Problem(path + ".closesAt", "the window must close after it opens.");
            }

            if (offering.Incentive is not { } incentive)
            {
                Problem(path + ".incentive", "the incentive is missing (use kind \"none\" for none).");
                continue;
            }

            if (incentive.Kind is not { } kind)
            {
                Problem(path + ".incentive.kind", "the incentive kind is missing.");
                continue;
            }

            if (incentive.Amount < 0 || (kind == IncentiveKind.None && incentive.Amount != 0))
            {
                Problem(path + ".incentive.amount", kind == IncentiveKind.None ? "must be 0 when the kind is \"none\"." : "must not be negative.");
            }

            if (incentive.CredentialsPerUnit < 1 || (kind != IncentiveKind.CpdUnits && incentive.CredentialsPerUnit != 1))
            {
                Problem(path + ".incentive.credentialsPerUnit", "must be 1, or more than 1 for CPD units only (one unit per that many credentials).");
            }
        }

        var budgets = new HashSet<(int, IncentiveKind?, string?)>();
        for (var i = 0; i < document.Budgets.Count; i++)
        {
            var budget = document.Budgets[i];
            var path = $"$.budgets[{N(i)}]";
            if (budget.Year is < 2000 or > 2100)
            {
                Problem(path + ".year", "must be a school year from 2000 to 2100.");
            }

            if (budget.Kind is null or IncentiveKind.None)
            {
                Problem(path + ".kind", "must be an incentive kind other than \"none\".");
            }

            if (budget.Amount < 0)
            {
                Problem(path + ".amount", "must not be negative.");
            }

            School(budget.School, path + ".school", existing.SchoolCodes, Problem);
            if (!budgets.Add((budget.Year, budget.Kind, budget.School)))
            {
                Problem(path, "another budget has the same year, kind and school.");
            }
        }

        return problems;
    }

    private static void ValidateCredential(CatalogCredential credential, string path, Dictionary<string, HashSet<string>> skills, Action<string, string> problem)
    {
        Text(credential.Title, path + ".title", TitleLength, required: true, problem);
        Text(credential.Summary, path + ".summary", TextLength, required: false, problem);
        Text(credential.Competency, path + ".competency", TextLength, required: true, problem);
        Text(credential.KeyMethod, path + ".keyMethod", TextLength, required: true, problem);
        for (var i = 0; i < credential.MethodComponents.Count; i++)
        {
            Text(credential.MethodComponents[i], $"{path}.methodComponents[{N(i)}]", TextLength, required: true, problem);
        }

        for (var i = 0; i < credential.Resources.Count; i++)
        {
            var resource = credential.Resources[i];
            Text(resource.Title, $"{path}.resources[{N(i)}].title", TitleLength, required: true, problem);
            if (!Uri.TryCreate(resource.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                problem($"{path}.resources[{N(i)}].url", "must be an absolute http or https address.");
            }
        }

        if (credential.Criteria.Count == 0)
        {
            problem(path + ".criteria", "a credential needs at least one submission criterion.");
        }

        var criterionKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < credential.Criteria.Count; i++)
        {
            var criterion = credential.Criteria[i];
            var at = $"{path}.criteria[{N(i)}]";
            if (Key(criterion.Key, at + ".key", problem) && !criterionKeys.Add(criterion.Key!))
            {
                problem(at + ".key", $"the criterion key \"{criterion.Key}\" is used twice in this credential.");
            }

            Text(criterion.Title, at + ".title", TitleLength, required: true, problem);
            Text(criterion.Guidance, at + ".guidance", TextLength, required: false, problem);
            if (criterion.Kind is null)
            {
                problem(at + ".kind", "the evidence kind is missing.");
            }

            if (criterion.Kind != EvidenceKind.Video && (criterion.MinMinutes is not null || criterion.MaxMinutes is not null))
            {
                problem(at, "only a video criterion has a length (minMinutes, maxMinutes).");
            }
            else if (criterion.MinMinutes is < 1 || criterion.MaxMinutes is < 1)
            {
                problem(at, "a video length must be at least one minute.");
            }
            else if (criterion.MinMinutes is { } min && criterion.MaxMinutes is { } max && min > max)
            {
                problem(at + ".minMinutes", $"the shortest video ({N(min)} min) is longer than the longest ({N(max)} min).");
            }
        }

        ValidateRubric(credential.Rubric, path + ".rubric", problem);
        if (credential.Review is { } review)
        {
            try
            {
                Reviews.SetReviewPolicy.Validate(review.ToInput());
            }
            catch (InvalidInputException invalid)
            {
                foreach (var (field, reason) in invalid.Errors)
                {
                    problem(path + ".review" + ReviewField(field), reason);
                }
            }
        }

        var aligned = new HashSet<(string?, string?)>();
        for (var i = 0; i < credential.Skills.Count; i++)
        {
            var alignment = credential.Skills[i];
            var at = $"{path}.skills[{N(i)}]";
            if (alignment.Framework is null || !skills.TryGetValue(alignment.Framework, out var codes))
            {
                problem(at + ".framework", $"no skills framework has the key \"{alignment.Framework}\".");
            }
            else if (alignment.Code is null || !codes.Contains(alignment.Code))
            {
                problem(at + ".code", $"unknown skill: framework \"{alignment.Framework}\" has no skill \"{alignment.Code}\".");
            }
            else if (!aligned.Add((alignment.Framework, alignment.Code)))
            {
                problem(at, "this skill is listed twice.");
            }
        }
    }

    private static void ValidateRubric(CatalogRubric? rubric, string path, Action<string, string> problem)
    {
        if (rubric is null)
        {
            problem(path, "the scoring rubric is missing.");
            return;
        }

        if (rubric.Levels.Count < 2)
        {
            problem(path + ".levels", "a rubric needs at least two levels (one below passing).");
        }

        for (var i = 0; i < rubric.Levels.Count; i++)
        {
            var level = rubric.Levels[i];
            Text(level.Name, $"{path}.levels[{N(i)}].name", TitleLength, required: true, problem);
            if (level.Points < 0)
            {
                problem($"{path}.levels[{N(i)}].points", "must not be negative.");
            }
            else if (i > 0 && level.Points <= rubric.Levels[i - 1].Points)
            {
                problem($"{path}.levels[{N(i)}].points", "levels go from lowest to highest: each must be worth more points than the one before.");
            }
        }

        if (rubric.Criteria.Count == 0)
        {
            problem(path + ".criteria", "a rubric needs at least one criterion.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rubric.Criteria.Count; i++)
        {
            var criterion = rubric.Criteria[i];
            var at = $"{path}.criteria[{N(i)}]";
            if (Key(criterion.Key, at + ".key", problem) && !keys.Add(criterion.Key!))
            {
                problem(at + ".key", $"the rubric criterion key \"{criterion.Key}\" is used twice.");
            }

            Text(criterion.Title, at + ".title", TitleLength, required: true, problem);
            if (criterion.Descriptors.Count != rubric.Levels.Count)
            {
                problem(at + ".descriptors", $"has {N(criterion.Descriptors.Count)} descriptors; the rubric has {N(rubric.Levels.Count)} levels, and each level needs one.");
            }

            for (var d = 0; d < criterion.Descriptors.Count; d++)
            {
                Text(criterion.Descriptors[d], $"{at}.descriptors[{N(d)}]", TextLength, required: true, problem);
            }
        }

        if (rubric.Passing is not { } passing)
        {
            problem(path + ".passing", "the passing rule is missing.");
            return;
        }

        if (passing.MinimumLevel < 0 || passing.MinimumLevel >= rubric.Levels.Count)
        {
            problem(path + ".passing.minimumLevel", $"the passing level must be from 0 to {N(rubric.Levels.Count - 1)} (an index into the levels).");
        }

        var maxTotal = rubric.Criteria.Count * (rubric.Levels.Count == 0 ? 0 : rubric.Levels.Max(l => l.Points));
        if (passing.MinimumTotal is < 0 || passing.MinimumTotal > maxTotal)
        {
            problem(path + ".passing.minimumTotal", $"must be from 0 to the rubric's highest total ({N(maxTotal)}).");
        }
    }

    private static void CredentialList(IReadOnlyList<string> keys, string path, HashSet<string> known, HashSet<string> seen, Action<string, string> problem)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (!known.Contains(keys[i] ?? string.Empty))
            {
                problem($"{path}[{N(i)}]", $"no credential has the key \"{keys[i]}\".");
            }
            else if (!seen.Add(keys[i]))
            {
                problem($"{path}[{N(i)}]", $"the credential \"{keys[i]}\" is listed twice.");
            }
        }
    }

    private static void School(string? code, string path, IReadOnlySet<string> schools, Action<string, string> problem)
    {
        if (code is not null && !schools.Contains(code))
        {
            problem(path, $"unknown school code \"{code}\" (leave it out for the whole district).");
        }
    }

    private static bool Key(string? key, string path, Action<string, string> problem)
    {
        if (string.IsNullOrEmpty(key))
        {
            problem(path, "the key is missing.");
            return false;
        }

        // Keys appear in addresses (/app/catalog/{key}) and in other catalog files, so they stay plain.
        if (key.Length > KeyLength || !KeyPattern().IsMatch(key))
        {
            problem(path, $"a key is 1 to {N(KeyLength)} letters, digits, '-', '_' or '.', starting with a letter or digit.");
            return false;
        }

        return true;
    }

    private static bool Text(string? value, string path, int maxLength, bool required, Action<string, string> problem)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                problem(path, "is missing or empty.");
            }

            return false;
        }

        if (value.Length > maxLength)
        {
            problem(path, $"is longer than {N(maxLength)} characters.");
            return false;
        }

        return true;
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The catalog file's name of a field <see cref="Reviews.SetReviewPolicy.Validate"/> refuses, so the path names it.</summary>
    private static string ReviewField(string field) => field switch
    {
        "required" => ".requiredReviews",
        "due" => ".dueSchoolDays",
        "reminder" => ".reminderSchoolDays",
        "reallocate" => ".reallocateAfterSchoolDays",
        _ => string.Empty,
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex KeyPattern();
}
