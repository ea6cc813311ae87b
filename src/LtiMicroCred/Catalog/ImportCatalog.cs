using System.Text.Json;
using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Catalog;

public sealed record ChangeCount(int Created, int Updated, int Unchanged)
{
    public int Changed => Created + Updated;
}

/// <summary>What an import did. A credential whose definition changed while attempts use it counts in
/// <see cref="NewVersions"/>, not in <see cref="Credentials"/>' updates.</summary>
public sealed record CatalogImportSummary(
    ChangeCount Frameworks,
    ChangeCount Credentials,
    int NewVersions,
    ChangeCount Stacks,
    ChangeCount Pathways,
    ChangeCount Offerings,
    ChangeCount Budgets,
    bool SettingsChanged)
{
    public bool ChangedAnything =>
        Frameworks.Changed + Credentials.Changed + NewVersions + Stacks.Changed + Pathways.Changed + Offerings.Changed + Budgets.Changed > 0 || SettingsChanged;
}

/// <summary>
/// Loads a catalog file into a district: validates all of it first, then adds and updates by key in one save, so a
/// file with any problem changes nothing. Things the file leaves out stay as they are (retire a credential or
/// deactivate an offering to withdraw it). A credential whose definition or skills change gets a new version when
/// an attempt uses the current one, since an attempt keeps the version it started on; otherwise the current version
/// is corrected in place.
/// </summary>
public sealed partial class ImportCatalog(AppDbContext db, Audit.AuditLog audit, TimeProvider timeProvider, ILogger<ImportCatalog> logger)
{
    public async Task<CatalogImportSummary> HandleAsync(Actor actor, Stream json, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var document = await CatalogJson.ReadAsync(json, cancellationToken);
        var summary = await ImportAsync(actor.TenantId, document, cancellationToken);
        LogImported(logger, actor.TenantId, actor.PersonId, summary.Credentials.Created, summary.Credentials.Updated, summary.NewVersions);
        return summary;
    }

    /// <summary>
    /// The catalog editor's save: a document the pages built (one credential, framework, stack or pathway) goes the
    /// import's way, and each entry it touched is audited in the same save.
    /// </summary>
    public async Task<CatalogImportSummary> SaveAsync(Actor actor, CatalogDocument document, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var summary = await ImportAsync(actor.TenantId, document with { Format = CatalogDocument.CurrentFormat }, run =>
        {
            foreach (var (type, id, key) in run.Touched)
            {
                audit.Record(actor, "catalog.edited", type, id, $"Catalog editor saved {type} “{key}”");
            }
        }, cancellationToken);
        LogEdited(logger, actor.TenantId, actor.PersonId, summary.Credentials.Created, summary.Credentials.Updated, summary.NewVersions);
        return summary;
    }

    /// <summary>For callers that have already decided the tenant's catalog may be changed (the sandbox's start).</summary>
    public Task<CatalogImportSummary> ImportAsync(Guid tenantId, CatalogDocument document, CancellationToken cancellationToken) =>
        ImportAsync(tenantId, document, beforeSave: null, cancellationToken);

    private async Task<CatalogImportSummary> ImportAsync(Guid tenantId, CatalogDocument document, Action<ImportRun>? beforeSave, CancellationToken cancellationToken)
    {
        var state = await CatalogState.LoadAsync(db, tenantId, cancellationToken);
        var problems = CatalogValidator.Validate(document, state.References());
        if (problems.Count > 0)
        {
            throw CatalogProblems.ToException(problems);
        }

        var run = new ImportRun(db, state, tenantId, timeProvider.GetUtcNow());
        var summary = run.Apply(document);
        beforeSave?.Invoke(run);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // Another import or edit of the same keys won the race; the single save means nothing of this one stayed.
            LogConflict(logger, e, tenantId);
            throw new RuleViolationException("The catalog changed while this file was being imported, so nothing was imported. Import it again.");
        }

        return summary;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog edited in tenant {TenantId} by {PersonId}: {Created} credentials created, {Updated} updated, {NewVersions} new versions")]
    private static partial void LogEdited(ILogger logger, Guid tenantId, Guid personId, int created, int updated, int newVersions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog imported into tenant {TenantId} by {PersonId}: {Created} credentials created, {Updated} updated, {NewVersions} new versions")]
    private static partial void LogImported(ILogger logger, Guid tenantId, Guid personId, int created, int updated, int newVersions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog import into tenant {TenantId} conflicted with another change and was rolled back")]
    private static partial void LogConflict(ILogger logger, Exception exception, Guid tenantId);

    private sealed class Tally
    {
        public int Created { get; set; }

        public int Updated { get; set; }

        public int Unchanged { get; set; }

        public void Count(bool created, bool changed)
        {
            if (created)
            {
                Created++;
            }
            else if (changed)
            {
                Updated++;
            }
            else
            {
                Unchanged++;
            }
        }

        public ChangeCount Result => new(Created, Updated, Unchanged);
    }

    /// <summary>Applies a validated document to the tracked entities; the caller saves.</summary>
    private sealed class ImportRun(AppDbContext db, CatalogState state, Guid tenantId, DateTimeOffset now)
    {
        private readonly Dictionary<(string Framework, string Code), Guid> _skills = new();
        private readonly Dictionary<string, Guid> _credentials = state.Credentials.ToDictionary(c => c.Key, c => c.Id, StringComparer.Ordinal);
        private readonly Dictionary<string, Guid> _schools = state.Schools.ToDictionary(s => s.Code!, s => s.Id, StringComparer.Ordinal);
        private int _newVersions;

        /// <summary>What the document named, by audit subject type, id and key.</summary>
        public List<(string Type, Guid Id, string Key)> Touched { get; } = [];
        private bool _reviewsChanged;

        public CatalogImportSummary Apply(CatalogDocument document)
        {
            var settingsChanged = document.Settings is { } settings && ApplySettings(settings);
            foreach (var framework in state.Frameworks)
            {
                framework.Skills.ForEach(s => _skills[(framework.Key, s.Code)] = s.Id);
            }

            // In dependency order: skills before the credentials aligned to them, credentials before what lists them.
            var frameworks = Each(document.Frameworks, ApplyFramework);
            var credentials = Each(document.Credentials, ApplyCredential);
            return new CatalogImportSummary(frameworks, credentials, _newVersions, Each(document.Stacks, ApplyStack), Each(document.Pathways, ApplyPathway),
                Each(document.Offerings, ApplyOffering), Each(document.Budgets, ApplyBudget), settingsChanged || _reviewsChanged);
        }

        private static ChangeCount Each<T>(IEnumerable<T> entries, Action<T, Tally> apply)
        {
            var tally = new Tally();
            foreach (var entry in entries)
            {
                apply(entry, tally);
            }

            return tally.Result;
        }

        private bool ApplySettings(CatalogSettings settings)
        {
            var target = state.Settings;
            if (target is null)
            {
                target = new ProgrammeSettings { TenantId = tenantId };
                db.ProgrammeSettings.Add(target);
            }

            var changed = state.Settings is null || target.RequirePlanApproval != settings.RequirePlanApproval
                || (settings.GradeScale is { } scale && target.GradeScale != scale) || (settings.NotYetGrade is { } notYet && target.NotYetGrade != notYet);
            target.RequirePlanApproval = settings.RequirePlanApproval;
            target.GradeScale = settings.GradeScale ?? target.GradeScale;
            target.NotYetGrade = settings.NotYetGrade ?? target.NotYetGrade;
            return changed;
        }

        private void ApplyFramework(CatalogFramework entry, Tally tally)
        {
            var framework = state.Frameworks.FirstOrDefault(f => f.Key == entry.Key);
            var created = framework is null;
            if (framework is null)
            {
                framework = new SkillFramework { Id = Guid.NewGuid(), TenantId = tenantId, Key = entry.Key!, Name = entry.Name! };
                db.SkillFrameworks.Add(framework);
            }

            var changed = framework.Name != entry.Name;
            framework.Name = entry.Name!;
            foreach (var skillEntry in entry.Skills)
            {
                var skill = framework.Skills.FirstOrDefault(s => s.Code == skillEntry.Code);
                if (skill is null)
                {
                    skill = new Skill { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = skillEntry.Code!, Name = skillEntry.Name! };
                    // Added to the set as well: a new row with its key set, reachable only from a tracked parent, would be taken for an update.
                    db.Skills.Add(skill);
                    framework.Skills.Add(skill);
                    changed = true;
                }
                else if (skill.Name != skillEntry.Name)
                {
                    skill.Name = skillEntry.Name!;
                    changed = true;
                }

                _skills[(framework.Key, skill.Code)] = skill.Id;
            }

            Touched.Add(("skill-framework", framework.Id, framework.Key));
            tally.Count(created, changed);
        }

        private void ApplyCredential(CatalogCredential entry, Tally tally)
        {
            ApplyCredentialContent(entry, tally);
            Touched.Add(("credential", _credentials[entry.Key!], entry.Key!));
            if (entry.Review is { } review && _credentials.TryGetValue(entry.Key!, out var credentialId))
            {
                ApplyReview(credentialId, review.ToInput(), tally);
            }
        }

        /// <summary>The credential's peer review setting; an unchanged one is not counted as a change.</summary>
        private void ApplyReview(Guid credentialId, Reviews.ReviewPolicyInput input, Tally tally)
        {
            var policy = state.ReviewPolicies.FirstOrDefault(p => p.CredentialId == credentialId);
            if (policy is null)
            {
                policy = new Reviews.ReviewPolicy { CredentialId = credentialId, TenantId = tenantId };
                db.ReviewPolicies.Add(policy);
                state.ReviewPolicies.Add(policy);
            }
            else if (CatalogReview.From(policy).ToInput() == input)
            {
                return;
            }

            Reviews.SetReviewPolicy.Apply(policy, input, now);
            _reviewsChanged = true;
        }

        private void ApplyCredentialContent(CatalogCredential entry, Tally tally)
        {
            var definition = CatalogMapping.ToDefinition(entry);
            var skillIds = entry.Skills.Select(a => _skills[(a.Framework!, a.Code!)]).ToHashSet();
            var credential = state.Credentials.FirstOrDefault(c => c.Key == entry.Key);
            if (credential is null)
            {
                credential = new Credential { Id = Guid.NewGuid(), TenantId = tenantId, Key = entry.Key!, Title = entry.Title!, CreatedAt = now };
                CatalogMapping.SetDetails(credential, entry);
                db.Credentials.Add(credential);
                _credentials[credential.Key] = credential.Id;
                Publish(credential, 1, definition, skillIds);
                tally.Count(created: true, changed: true);
                return;
            }

            var detailsChanged = CatalogMapping.SetDetails(credential, entry);
            var current = state.Versions.FirstOrDefault(v => v.Id == credential.CurrentVersionId);
            var currentSkills = current is null ? [] : state.Alignments.Where(a => a.CredentialVersionId == current.Id).Select(a => a.SkillId).ToHashSet();
            if (current is not null && SameDefinition(current.Definition, definition) && currentSkills.SetEquals(skillIds))
            {
                tally.Count(created: false, changed: detailsChanged);
                return;
            }

            if (current is null || state.VersionsInUse.Contains(current.Id))
            {
                var number = state.Versions.Where(v => v.CredentialId == credential.Id).Select(v => v.Number).DefaultIfEmpty(0).Max() + 1;
                Publish(credential, number, definition, skillIds);
                // Counted apart from the tally's updates: the credential's stored content was not edited, a version was added.
                _newVersions++;
                return;
            }

            current.Definition = definition;
            foreach (var gone in state.Alignments.Where(a => a.CredentialVersionId == current.Id && !skillIds.Contains(a.SkillId)))
            {
                db.SkillAlignments.Remove(gone);
            }

            foreach (var added in skillIds.Where(id => !currentSkills.Contains(id)))
            {
                db.SkillAlignments.Add(new SkillAlignment { CredentialVersionId = current.Id, SkillId = added });
            }

            tally.Count(created: false, changed: true);
        }

        private void Publish(Credential credential, int number, CredentialDefinition definition, HashSet<Guid> skillIds)
        {
            var version = new CredentialVersion { Id = Guid.NewGuid(), CredentialId = credential.Id, Number = number, Definition = definition, PublishedAt = now };
            db.CredentialVersions.Add(version);
            db.SkillAlignments.AddRange(skillIds.Select(id => new SkillAlignment { CredentialVersionId = version.Id, SkillId = id }));
            credential.CurrentVersionId = version.Id;
        }

        private void ApplyStack(CatalogStack entry, Tally tally)
        {
            var stack = state.Stacks.FirstOrDefault(s => s.Key == entry.Key);
            var created = stack is null;
            if (stack is null)
            {
                stack = new CredentialStack { Id = Guid.NewGuid(), TenantId = tenantId, Key = entry.Key!, Title = entry.Title! };
                db.Stacks.Add(stack);
            }

            var changed = stack.Title != entry.Title || stack.Description != CatalogMapping.Blank(entry.Description);
            stack.Title = entry.Title!;
            stack.Description = CatalogMapping.Blank(entry.Description);
            var wanted = entry.Credentials.Select((key, position) => (Id: _credentials[key], Position: position)).ToList();
            changed |= SyncEntries(stack.Entries, wanted, e => e.CredentialId, w => w.Id,
                w => new StackEntry { StackId = stack.Id, CredentialId = w.Id, Position = w.Position },
                (e, w) =>
                {
                    var moved = e.Position != w.Position;
                    e.Position = w.Position;
                    return moved;
                });

            Touched.Add(("stack", stack.Id, stack.Key));
            tally.Count(created, changed);
        }

        private void ApplyPathway(CatalogPathway entry, Tally tally)
        {
            var pathway = state.Pathways.FirstOrDefault(p => p.Key == entry.Key);
            var created = pathway is null;
            if (pathway is null)
            {
                pathway = new Pathway { Id = Guid.NewGuid(), TenantId = tenantId, Key = entry.Key!, Title = entry.Title! };
                db.Pathways.Add(pathway);
            }

            var changed = CatalogMapping.SetDetails(pathway, entry);
            var wanted = entry.Prerequisites.Select(k => (Id: _credentials[k], Prerequisite: true))
                .Concat(entry.Credentials.Select(k => (Id: _credentials[k], Prerequisite: false))).ToList();
            changed |= SyncEntries(pathway.Entries, wanted, e => e.CredentialId, w => w.Id,
                w => new PathwayEntry { PathwayId = pathway.Id, CredentialId = w.Id, Prerequisite = w.Prerequisite },
                (e, w) =>
                {
                    var changedRole = e.Prerequisite != w.Prerequisite;
                    e.Prerequisite = w.Prerequisite;
                    return changedRole;
                });

            Touched.Add(("pathway", pathway.Id, pathway.Key));
            tally.Count(created, changed);
        }

        /// <summary>
        /// Makes a stack's or pathway's entries the wanted ones: removes the others, adds the missing, updates the rest.
        /// Entries are diffed, not replaced, because a removed and re-added row with the same key cannot be tracked twice.
        /// </summary>
        /// <returns>Whether anything changed.</returns>
        private bool SyncEntries<TEntry, TWanted>(List<TEntry> entries, List<TWanted> wanted, Func<TEntry, Guid> credentialOf, Func<TWanted, Guid> wantedCredential,
            Func<TWanted, TEntry> create, Func<TEntry, TWanted, bool> update) where TEntry : class
        {
            var changed = false;
            foreach (var gone in entries.Where(e => !wanted.Any(w => wantedCredential(w) == credentialOf(e))).ToList())
            {
                entries.Remove(gone);
                db.Remove(gone);
                changed = true;
            }

            foreach (var item in wanted)
            {
                if (entries.FirstOrDefault(e => credentialOf(e) == wantedCredential(item)) is { } existing)
                {
                    changed |= update(existing, item);
                    continue;
                }

                var added = create(item);
                db.Add(added);
                entries.Add(added);
                changed = true;
            }

            return changed;
        }

        private void ApplyOffering(CatalogOffering entry, Tally tally)
        {
            var credentialId = _credentials[entry.Credential!];
            Guid? schoolId = entry.School is null ? null : _schools[entry.School];
            var incentive = CatalogMapping.ToIncentive(entry.Incentive!);
            var offering = state.Offerings.Where(o => o.CredentialId == credentialId && o.SchoolId == schoolId).MinBy(o => o.Id);
            if (offering is null)
            {
                db.Offerings.Add(new Offering
                {
                    Id = Guid.NewGuid(), TenantId = tenantId, CredentialId = credentialId, SchoolId = schoolId, WindowOpensAt = entry.OpensAt,
                    WindowClosesAt = entry.ClosesAt, Incentive = incentive, Active = entry.Active,
                });
                tally.Count(created: true, changed: true);
                return;
            }

            var changed = offering.WindowOpensAt != entry.OpensAt || offering.WindowClosesAt != entry.ClosesAt || offering.Incentive != incentive
                || offering.Active != entry.Active;
            if (changed)
            {
                offering.WindowOpensAt = entry.OpensAt;
                offering.WindowClosesAt = entry.ClosesAt;
                offering.Incentive = incentive;
                offering.Active = entry.Active;
            }

            tally.Count(created: false, changed);
        }

        private void ApplyBudget(CatalogBudget entry, Tally tally)
        {
            Guid? schoolId = entry.School is null ? null : _schools[entry.School];
            var budget = state.Budgets.FirstOrDefault(b => b.Year == entry.Year && b.Kind == entry.Kind && b.SchoolId == schoolId);
            if (budget is null)
            {
                db.IncentiveBudgets.Add(new IncentiveBudget
                {
                    Id = Guid.NewGuid(), TenantId = tenantId, SchoolId = schoolId, Year = entry.Year, Kind = entry.Kind!.Value, Amount = entry.Amount,
                });
                tally.Count(created: true, changed: true);
                return;
            }

            var changed = budget.Amount != entry.Amount;
            budget.Amount = entry.Amount;
            tally.Count(created: false, changed);
        }

        private static bool SameDefinition(CredentialDefinition a, CredentialDefinition b) =>
            JsonSerializer.Serialize(a, CatalogJson.Options) == JsonSerializer.Serialize(b, CatalogJson.Options);
    }
}
