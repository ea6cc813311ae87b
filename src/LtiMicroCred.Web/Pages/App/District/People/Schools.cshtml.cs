using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App.District.People;

/// <summary>The district's schools: create, rename, and the aliases that let launches place people in them.</summary>
public sealed class SchoolsModel(AppDbContext db, ManageSchools manageSchools) : DirectoryPageModel
{
    /// <summary>Which form the last post came from ("new", or a school's id), so its errors and values show there.</summary>
    public string? PostedForm { get; private set; }

    public string? PostedName { get; private set; }

    public string? PostedCode { get; private set; }

    public string? PostedParameter { get; private set; }

    public string? PostedValue { get; private set; }

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public IReadOnlyList<SchoolView> Schools { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Actor.RequireDistrictAdmin();
        await LoadAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostCreateAsync(string? name, string? code, CancellationToken cancellationToken) =>
        SaveAsync("new", null, name, code, cancellationToken);

    public Task<IActionResult> OnPostRenameAsync(Guid schoolId, string? name, string? code, CancellationToken cancellationToken) =>
        SaveAsync(schoolId.ToString(), schoolId, name, code, cancellationToken);

    public async Task<IActionResult> OnPostAddAliasAsync(Guid schoolId, string? parameter, string? value, CancellationToken cancellationToken)
    {
        try
        {
            await manageSchools.AddAliasAsync(Actor, new AddAliasCommand(schoolId, parameter ?? string.Empty, value ?? string.Empty), cancellationToken);
        }
        catch (InvalidInputException invalid)
        {
            (PostedForm, PostedParameter, PostedValue) = ("alias-" + schoolId, parameter, value);
            return await RedisplayAsync(invalid, $"alias-{schoolId}-", cancellationToken);
        }

        return Redirect(Link($"{BasePath}/schools?done=alias#school-{schoolId}"));
    }

    public async Task<IActionResult> OnPostRemoveAliasAsync(Guid aliasId, Guid schoolId, CancellationToken cancellationToken)
    {
        await manageSchools.RemoveAliasAsync(Actor, aliasId, cancellationToken);
        return Redirect(Link($"{BasePath}/schools?done=removed#school-{schoolId}"));
    }

    private async Task<IActionResult> SaveAsync(string form, Guid? schoolId, string? name, string? code, CancellationToken cancellationToken)
    {
        Guid saved;
        try
        {
            saved = await manageSchools.SaveAsync(Actor, new SaveSchoolCommand(schoolId, name ?? string.Empty, code), cancellationToken);
        }
        catch (InvalidInputException invalid)
        {
            (PostedForm, PostedName, PostedCode) = (form, name, code);
            return await RedisplayAsync(invalid, $"{form}-", cancellationToken);
        }

        return Redirect(Link($"{BasePath}/schools?done={(schoolId is null ? "created" : "saved")}#school-{saved}"));
    }

    private async Task<IActionResult> RedisplayAsync(InvalidInputException invalid, string prefix, CancellationToken cancellationToken)
    {
        ShowErrors(invalid, prefix);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var schools = await db.Schools.AsNoTracking().Where(s => s.TenantId == Actor.TenantId).OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Name, s.Code, Members = db.SchoolMemberships.Count(m => m.SchoolId == s.Id) })
            .ToListAsync(cancellationToken);
        var aliases = await db.SchoolAliases.AsNoTracking().Where(a => a.TenantId == Actor.TenantId)
            .OrderBy(a => a.Parameter).ThenBy(a => a.Value).ToListAsync(cancellationToken);
        Schools = schools.Select(s => new SchoolView(s.Id, s.Name, s.Code, s.Members,
            aliases.Where(a => a.SchoolId == s.Id).Select(a => new AliasView(a.Id, a.Parameter, a.Value)).ToList())).ToList();
    }

    public sealed record AliasView(Guid Id, string Parameter, string Value);

    public sealed record SchoolView(Guid Id, string Name, string? Code, int Members, IReadOnlyList<AliasView> Aliases);
}
