namespace LtiMicroCred.Catalog;

/// <summary>
/// Between the catalog file and the stored model, both ways. Blank optional text is stored as null, so that a file
/// written by export and imported again compares equal to what is stored.
/// </summary>
internal static class CatalogMapping
{
    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    public static CredentialDefinition ToDefinition(CatalogCredential entry) => new()
    {
        Competency = entry.Competency!,
        KeyMethod = entry.KeyMethod!,
        MethodComponents = [.. entry.MethodComponents],
        Resources = [.. entry.Resources.Select(r => new ResourceLink(r.Title!, r.Url!))],
        Criteria = [.. entry.Criteria.Select(c => new SubmissionCriterion
        {
            Key = c.Key!, Title = c.Title!, Kind = c.Kind!.Value, Guidance = Blank(c.Guidance), MinMinutes = c.MinMinutes, MaxMinutes = c.MaxMinutes,
        })],
        Rubric = new Rubric
        {
            Levels = [.. entry.Rubric!.Levels.Select(l => new RubricLevel(l.Name!, l.Points))],
            Criteria = [.. entry.Rubric.Criteria.Select(c => new RubricCriterion(c.Key!, c.Title!, [.. c.Descriptors]))],
            Passing = new PassingRule(entry.Rubric.Passing!.MinimumLevel, entry.Rubric.Passing.MinimumTotal),
        },
    };

    public static CatalogCredential FromCredential(Credential credential, CredentialDefinition definition, IEnumerable<CatalogAlignment> skills) => new()
    {
        Key = credential.Key,
        Title = credential.Title,
        Summary = credential.Summary,
        Retired = credential.Retired,
        Competency = definition.Competency,
        KeyMethod = definition.KeyMethod,
        MethodComponents = [.. definition.MethodComponents],
        Resources = [.. definition.Resources.Select(r => new CatalogResource { Title = r.Title, Url = r.Url })],
        Criteria = [.. definition.Criteria.Select(c => new CatalogCriterion
        {
            Key = c.Key, Title = c.Title, Kind = c.Kind, Guidance = c.Guidance, MinMinutes = c.MinMinutes, MaxMinutes = c.MaxMinutes,
        })],
        Rubric = new CatalogRubric
        {
            Levels = [.. definition.Rubric.Levels.Select(l => new CatalogRubricLevel { Name = l.Name, Points = l.Points })],
            Criteria = [.. definition.Rubric.Criteria.Select(c => new CatalogRubricCriterion { Key = c.Key, Title = c.Title, Descriptors = [.. c.Descriptors] })],
            Passing = new CatalogPassing { MinimumLevel = definition.Rubric.Passing.MinimumLevel, MinimumTotal = definition.Rubric.Passing.MinimumTotal },
        },
        Skills = [.. skills],
    };

    /// <returns>Whether anything changed.</returns>
    public static bool SetDetails(Credential credential, CatalogCredential entry)
    {
        var summary = Blank(entry.Summary);
        var changed = credential.Title != entry.Title || credential.Summary != summary || credential.Retired != entry.Retired;
        credential.Title = entry.Title!;
        credential.Summary = summary;
        credential.Retired = entry.Retired;
        return changed;
    }

    /// <returns>Whether anything changed.</returns>
    public static bool SetDetails(Pathway pathway, CatalogPathway entry)
    {
        var description = Blank(entry.Description);
        var detail = Blank(entry.RewardDetail);
        var changed = pathway.Title != entry.Title || pathway.Description != description || pathway.MinimumCount != entry.MinimumCount
            || pathway.CommitteeSize != entry.CommitteeSize || pathway.Reward != entry.Reward || pathway.RewardDetail != detail;
        pathway.Title = entry.Title!;
        pathway.Description = description;
        pathway.MinimumCount = entry.MinimumCount;
        pathway.CommitteeSize = entry.CommitteeSize;
        pathway.Reward = entry.Reward;
        pathway.RewardDetail = detail;
        return changed;
    }

    public static Incentive ToIncentive(CatalogIncentive entry) => new(entry.Kind!.Value, entry.Amount, entry.CredentialsPerUnit);

    public static CatalogIncentive FromIncentive(Incentive incentive) =>
        new() { Kind = incentive.Kind, Amount = incentive.Amount, CredentialsPerUnit = incentive.CredentialsPerUnit };
}
