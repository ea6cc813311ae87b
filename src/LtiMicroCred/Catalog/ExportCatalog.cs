using LtiMicroCred.Access;
using LtiMicroCred.Persistence;

namespace LtiMicroCred.Catalog;

/// <summary>
/// The district's catalog as a catalog file: every framework, credential (its current version), stack, pathway,
/// offering and budget, sorted by key so two exports of the same catalog are the same bytes. Importing the file
/// into the same district changes nothing.
/// </summary>
public sealed class ExportCatalog(AppDbContext db)
{
    public async Task<CatalogDocument> HandleAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var state = await CatalogState.LoadAsync(db, actor.TenantId, cancellationToken);
        var credentialKeys = state.Credentials.ToDictionary(c => c.Id, c => c.Key);
        var schoolCodes = state.Schools.ToDictionary(s => s.Id, s => s.Code!);
        var skills = state.Frameworks.SelectMany(f => f.Skills.Select(s => (s.Id, Alignment: new CatalogAlignment { Framework = f.Key, Code = s.Code })))
            .ToDictionary(s => s.Id, s => s.Alignment);

        var credentials = new List<CatalogCredential>();
        foreach (var credential in state.Credentials.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            // A credential without a version has nothing to export that import could accept.
            if (state.Versions.FirstOrDefault(v => v.Id == credential.CurrentVersionId) is not { } version)
            {
                continue;
            }

            var aligned = state.Alignments.Where(a => a.CredentialVersionId == version.Id).Select(a => skills[a.SkillId])
                .OrderBy(a => a.Framework, StringComparer.Ordinal).ThenBy(a => a.Code, StringComparer.Ordinal);
            credentials.Add(CatalogMapping.FromCredential(credential, version.Definition, aligned) with
            {
                Review = state.ReviewPolicies.FirstOrDefault(p => p.CredentialId == credential.Id) is { } policy ? CatalogReview.From(policy) : null,
            });
        }

        var exported = credentials.Select(c => c.Key!).ToHashSet(StringComparer.Ordinal);
        string? School(Guid? id) => id is { } schoolId ? schoolCodes.GetValueOrDefault(schoolId) : null;
        bool Named(Guid? schoolId) => schoolId is null || schoolCodes.ContainsKey(schoolId.Value);

        return new CatalogDocument
        {
            Format = CatalogDocument.CurrentFormat,
            Settings = state.Settings is { } settings ? new CatalogSettings
            {
                RequirePlanApproval = settings.RequirePlanApproval, GradeScale = settings.GradeScale, NotYetGrade = settings.NotYetGrade,
            } : null,
            Frameworks = [.. state.Frameworks.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new CatalogFramework
            {
                Key = f.Key,
                Name = f.Name,
                Skills = [.. f.Skills.OrderBy(s => s.Code, StringComparer.Ordinal).Select(s => new CatalogSkill { Code = s.Code, Name = s.Name })],
            })],
            Credentials = credentials,
            Stacks = [.. state.Stacks.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new CatalogStack
            {
                Key = s.Key,
                Title = s.Title,
                Description = s.Description,
                Credentials = [.. s.Entries.OrderBy(e => e.Position).Select(e => credentialKeys[e.CredentialId]).Where(exported.Contains)],
            })],
            Pathways = [.. state.Pathways.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new CatalogPathway
            {
                Key = p.Key,
                Title = p.Title,
                Description = p.Description,
                Prerequisites = Keys(p.Entries.Where(e => e.Prerequisite).Select(e => e.CredentialId)),
                Credentials = Keys(p.Entries.Where(e => !e.Prerequisite).Select(e => e.CredentialId)),
                MinimumCount = p.MinimumCount,
                CommitteeSize = p.CommitteeSize,
                Reward = p.Reward,
                RewardDetail = p.RewardDetail,
            })],
            // A school without a code cannot be named in the file; its offerings and budgets stay out rather than turn district-wide.
            Offerings = [.. state.Offerings
                .Where(o => exported.Contains(credentialKeys[o.CredentialId]) && Named(o.SchoolId))
                .Select(o => new CatalogOffering
                {
                    Credential = credentialKeys[o.CredentialId],
                    School = School(o.SchoolId),
                    OpensAt = o.WindowOpensAt,
                    ClosesAt = o.WindowClosesAt,
                    Active = o.Active,
                    Incentive = CatalogMapping.FromIncentive(o.Incentive),
                })
                .OrderBy(o => o.Credential, StringComparer.Ordinal).ThenBy(o => o.School ?? string.Empty, StringComparer.Ordinal)],
            Budgets = [.. state.Budgets
                .Where(b => Named(b.SchoolId))
                .Select(b => new CatalogBudget { Year = b.Year, Kind = b.Kind, School = School(b.SchoolId), Amount = b.Amount })
                .OrderBy(b => b.Year).ThenBy(b => b.Kind).ThenBy(b => b.School ?? string.Empty, StringComparer.Ordinal)],
        };

        List<string> Keys(IEnumerable<Guid> ids) =>
            [.. ids.Select(id => credentialKeys[id]).Where(exported.Contains).Order(StringComparer.Ordinal)];
    }
}
