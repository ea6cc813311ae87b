using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Schools;

public sealed record SaveSchoolCommand(Guid? SchoolId, string Name, string? Code);

public sealed record AddAliasCommand(Guid SchoolId, string Parameter, string Value);

/// <summary>
/// District administrators keep the district's schools: a name and a code unique in the district, and the aliases
/// that let a launch's custom parameters (a Canvas sub-account id or name) place people in a school.
/// </summary>
public sealed class ManageSchools(AppDbContext db, SchoolAliasCache aliasCache, TimeProvider timeProvider)
{
    /// <summary>The custom parameters the tool's Canvas configuration sends (lti-config/canvas-developer-key.json).</summary>
    public static IReadOnlyList<string> KnownParameters { get; } = ["canvas_account_id", "canvas_account_name", "school_name"];

    public const int NameMaxLength = 300;
    public const int CodeMaxLength = 100;
    public const int ParameterMaxLength = 100;
    public const int ValueMaxLength = 300;

    /// <summary>Creates a school (no id) or renames one; returns its id.</summary>
    public async Task<Guid> SaveAsync(Actor actor, SaveSchoolCommand command, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var name = command.Name?.Trim() ?? string.Empty;
        var code = string.IsNullOrWhiteSpace(command.Code) ? null : command.Code.Trim();
        var errors = new Dictionary<string, string>();
        if (name.Length == 0)
        {
            errors[nameof(command.Name)] = "Enter the school's name.";
        }
        else if (name.Length > NameMaxLength)
        {
            errors[nameof(command.Name)] = $"The name can be at most {NameMaxLength} characters.";
        }

        if (code is { Length: > CodeMaxLength })
        {
            errors[nameof(command.Code)] = $"The code can be at most {CodeMaxLength} characters.";
        }

        School? school = null;
        if (command.SchoolId is { } id)
        {
            school = await db.Schools.SingleOrDefaultAsync(s => s.Id == id && s.TenantId == actor.TenantId, cancellationToken)
                ?? throw new NotFoundException("That school is not in your district.");
        }

        // A district has tens or hundreds of schools: compared here, without case, because "Lincoln" and "LINCOLN"
        // would be one school to the people choosing (and SQL's case rules differ by provider).
        var others = await db.Schools.AsNoTracking().Where(s => s.TenantId == actor.TenantId && s.Id != command.SchoolId)
            .Select(s => new { s.Name, s.Code }).ToListAsync(cancellationToken);
        if (!errors.ContainsKey(nameof(command.Name)) && others.Exists(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            errors[nameof(command.Name)] = $"Another school is already named \"{name}\".";
        }

        if (code is not null && !errors.ContainsKey(nameof(command.Code))
            && others.Exists(s => string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase)))
        {
            errors[nameof(command.Code)] = $"Another school already has the code \"{code}\".";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        if (school is null)
        {
            school = new School { Id = Guid.NewGuid(), TenantId = actor.TenantId, Name = name, Code = code, CreatedAt = timeProvider.GetUtcNow() };
            db.Schools.Add(school);
        }
        else
        {
            school.Name = name;
            school.Code = code;
        }

        await SaveChangesAsync(cancellationToken);
        return school.Id;
    }

    public async Task<Guid> AddAliasAsync(Actor actor, AddAliasCommand command, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var parameter = command.Parameter?.Trim() ?? string.Empty;
        var value = command.Value?.Trim() ?? string.Empty;
        var errors = new Dictionary<string, string>();
        if (parameter.Length == 0 || parameter.Length > ParameterMaxLength || !parameter.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            errors[nameof(command.Parameter)] = "Enter the custom parameter's name: letters, digits, '_', '-' or '.', for example canvas_account_id.";
        }

        if (value.Length == 0 || value.Length > ValueMaxLength)
        {
            errors[nameof(command.Value)] = $"Enter the value the LMS sends for this school (at most {ValueMaxLength} characters).";
        }

        if (!await db.Schools.AnyAsync(s => s.Id == command.SchoolId && s.TenantId == actor.TenantId, cancellationToken))
        {
            throw new NotFoundException("That school is not in your district.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        // The launch compares values without case; two aliases that differ only in case would be one alias there.
        var key = SchoolAliasCache.AliasKey(parameter, value);
        var existing = await db.SchoolAliases.AsNoTracking().Where(a => a.TenantId == actor.TenantId && a.Parameter == parameter)
            .Select(a => new { a.Value, a.SchoolId }).ToListAsync(cancellationToken);
        if (existing.Find(a => SchoolAliasCache.AliasKey(parameter, a.Value) == key) is { } taken)
        {
            var other = taken.SchoolId == command.SchoolId ? "this school" : "another school";
            throw InvalidInputException.For(nameof(command.Value), $"{parameter} = \"{value}\" already points to {other}.");
        }

        var alias = new SchoolAlias { Id = Guid.NewGuid(), TenantId = actor.TenantId, SchoolId = command.SchoolId, Parameter = parameter, Value = value };
        db.SchoolAliases.Add(alias);
        await SaveChangesAsync(cancellationToken);
        aliasCache.Invalidate(actor.TenantId);
        return alias.Id;
    }

    public async Task RemoveAliasAsync(Actor actor, Guid aliasId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var alias = await db.SchoolAliases.SingleOrDefaultAsync(a => a.Id == aliasId && a.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("That alias is not in your district.");
        db.SchoolAliases.Remove(alias);
        await db.SaveChangesAsync(cancellationToken);
        aliasCache.Invalidate(actor.TenantId);
    }

    private async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The checks above passed, so another administrator saved the same name, code or alias a moment ago.
            throw new RuleViolationException("Someone else saved the same school name, code or alias just now. Reload the page and try again.");
        }
    }
}
