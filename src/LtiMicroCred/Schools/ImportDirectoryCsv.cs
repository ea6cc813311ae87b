using CsvHelper;
using LtiMicroCred.Access;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Schools;

/// <summary>A row the import refused, by its line in the file (the header is line 1).</summary>
public sealed record ImportRowError(int Line, string Reason);

public sealed record ImportSummary(int Rows, int PeopleCreated, int PeopleUpdated, int MembershipsSet, int MembershipsRemoved);

/// <summary>Either every error found (and nothing written) or what the import changed.</summary>
public sealed record ImportResult(IReadOnlyList<ImportRowError> Errors, ImportSummary? Summary)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// A district administrator loads people, schools and roles from a CSV file (columns in docs/directory-csv.md). The
/// whole file is checked first and every bad row reported with its line and reason; only a file without errors is
/// written, in one transaction, so a district never has half an import to untangle.
/// </summary>
public sealed class ImportDirectoryCsv(AppDbContext db, TimeProvider timeProvider)
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 10_000;

    public static class Columns
    {
        public const string LmsUserId = "lms_user_id";
        public const string Email = "email";
        public const string Name = "name";
        public const string SchoolCode = "school_code";
        public const string SchoolRoles = "school_roles";
        public const string DistrictRoles = "district_roles";

        public static IReadOnlyList<string> All { get; } = [LmsUserId, Email, Name, SchoolCode, SchoolRoles, DistrictRoles];
    }

    /// <summary>The role names the file uses; the same words as the README's role table.</summary>
    public static IReadOnlyDictionary<string, ProductRoles> RoleNames { get; } = new Dictionary<string, ProductRoles>(StringComparer.OrdinalIgnoreCase)
    {
        ["teacher"] = ProductRoles.Teacher,
        ["peer_reviewer"] = ProductRoles.PeerReviewer,
        ["coach"] = ProductRoles.Coach,
        ["principal"] = ProductRoles.Principal,
        ["district_admin"] = ProductRoles.DistrictAdmin,
    };

    /// <summary>Lookups of many keys are split so no provider meets its limit on parameters.</summary>
    private const int LookupBatch = 500;

    public async Task<ImportResult> HandleAsync(Actor actor, Stream csv, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var bytes = await ReadCappedAsync(csv, cancellationToken);
        var errors = new List<ImportRowError>();
        var parsed = Parse(bytes, errors);
        if (parsed is null)
        {
            return new ImportResult(errors, null);
        }

        var schools = await db.Schools.AsNoTracking().Where(s => s.TenantId == actor.TenantId && s.Code != null)
            .Select(s => new { s.Id, s.Code }).ToListAsync(cancellationToken);
        var schoolsByCode = schools.ToDictionary(s => s.Code!.ToUpperInvariant(), s => s.Id);
        var platforms = await db.Platforms.AsNoTracking().Where(p => p.TenantId == actor.TenantId).Select(p => p.Id).ToListAsync(cancellationToken);
        var people = await FindPeopleAsync(actor.TenantId, parsed.Rows, cancellationToken);

        var plan = new Plan { HasDistrictRoles = parsed.HasDistrictRoles };
        foreach (var row in parsed.Rows)
        {
            if (Resolve(row, people, platforms, schoolsByCode, plan) is { } reason)
            {
                errors.Add(new ImportRowError(row.Line, reason));
            }
        }

        foreach (var (personKey, roles) in plan.DistrictRoles)
        {
            if (plan.Existing.TryGetValue(personKey, out var me) && me.Id == actor.PersonId
                && me.AssignedRoles.HasFlag(ProductRoles.DistrictAdmin) && !roles.Roles.HasFlag(ProductRoles.DistrictAdmin))
            {
                errors.Add(new ImportRowError(roles.Line, "This row removes your own district administrator role; ask another district administrator."));
            }
        }

        if (errors.Count > 0)
        {
            return new ImportResult(errors.OrderBy(e => e.Line).ToList(), null);
        }

        return new ImportResult([], await ApplyAsync(actor, parsed, plan, platforms, cancellationToken));
    }

    private static async Task<byte[]> ReadCappedAsync(Stream csv, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw InvalidInputException.For("File", $"The file is larger than {MaxBytes / (1024 * 1024)} MB. Split it into smaller files.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ParsedFile? Parse(byte[] bytes, List<ImportRowError> errors)
    {
        var options = new CsvReaderOptions
        {
            // Fixed, not detected: the role cells use ';', which detection could take for the separator.
            Separator = ',',
            TrackLineNumbers = true,
            TrimWhitespace = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = bad => errors.Add(new ImportRowError((int)bad.LineNumber,
                "The quotes on this line do not match (a field that starts with a quote must end with one)." )),
        };
        using var reader = CsvReader.Create(bytes, options);
        var header = bytes.Length == 0 ? [] : reader.Headers;
        if (header.Count == 0 || header.All(string.IsNullOrWhiteSpace))
        {
            errors.Add(new ImportRowError(1, "The file is empty: the first line must name the columns (see the format page)."));
            return null;
        }

        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        foreach (var unknown in columns.Where(c => !Columns.All.Contains(c)))
        {
            errors.Add(new ImportRowError(1, $"Unknown column \"{unknown}\". The columns are: {string.Join(", ", Columns.All)}."));
        }

        foreach (var repeated in columns.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            errors.Add(new ImportRowError(1, $"The column \"{repeated.Key}\" appears twice."));
        }

        if (!columns.Contains(Columns.LmsUserId) && !columns.Contains(Columns.Email))
        {
            errors.Add(new ImportRowError(1, $"The file needs a \"{Columns.LmsUserId}\" or an \"{Columns.Email}\" column to say who each row is."));
        }

        if (columns.Contains(Columns.SchoolRoles) != columns.Contains(Columns.SchoolCode))
        {
            errors.Add(new ImportRowError(1, $"\"{Columns.SchoolCode}\" and \"{Columns.SchoolRoles}\" go together: give both columns or neither."));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        string Field(int index) => index < 0 || index >= reader.FieldCount ? string.Empty : reader.GetString(index)?.Trim() ?? string.Empty;
        var at = Columns.All.ToDictionary(c => c, c => columns.IndexOf(c));
        var rows = new List<Row>();
        while (reader.Read())
        {
            if (rows.Count == MaxRows)
            {
                errors.Add(new ImportRowError((int)reader.LineNumber, $"The file has more than {MaxRows:N0} rows. Split it into smaller files."));
                return null;
            }

            rows.Add(new Row(
                (int)reader.LineNumber,
                Field(at[Columns.LmsUserId]),
                Field(at[Columns.Email]),
                Field(at[Columns.Name]),
                Field(at[Columns.SchoolCode]),
                Field(at[Columns.SchoolRoles]),
                Field(at[Columns.DistrictRoles])));
        }

        return errors.Count > 0 ? null : new ParsedFile(rows, columns.Contains(Columns.DistrictRoles));
    }

    private async Task<KnownPeople> FindPeopleAsync(Guid tenantId, List<Row> rows, CancellationToken cancellationToken)
    {
        var subjects = rows.Select(r => r.LmsUserId).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var emails = rows.Where(r => r.LmsUserId.Length == 0 && r.Email.Length > 0).Select(r => r.Email.ToUpperInvariant()).Distinct().ToList();
        var found = new List<Person>();
        foreach (var batch in subjects.Chunk(LookupBatch))
        {
            found.AddRange(await db.People.Where(p => p.TenantId == tenantId && batch.Contains(p.Subject)).ToListAsync(cancellationToken));
        }

        foreach (var batch in emails.Chunk(LookupBatch))
        {
            found.AddRange(await db.People.Where(p => p.TenantId == tenantId && p.Email != null && batch.Contains(p.Email.ToUpper())).ToListAsync(cancellationToken));
        }

        var distinct = found.DistinctBy(p => p.Id).ToList();
        return new KnownPeople(
            distinct.ToLookup(p => p.Subject, StringComparer.Ordinal),
            distinct.Where(p => p.Email is not null).ToLookup(p => p.Email!.ToUpperInvariant()));
    }

    /// <summary>Checks one row and adds what it asks to the plan; the reason it cannot be imported, or null.</summary>
    private static string? Resolve(Row row, KnownPeople people, List<Guid> platforms, Dictionary<string, Guid> schoolsByCode, Plan plan)
    {
        var problems = new List<string>();
        if (row.LmsUserId.Length == 0 && row.Email.Length == 0)
        {
            return $"Missing id: give the person's {Columns.LmsUserId} or {Columns.Email}.";
        }

        if (row.Email.Length > 0 && (!row.Email.Contains('@', StringComparison.Ordinal) || row.Email.Length > 320))
        {
            problems.Add($"\"{row.Email}\" is not an email address.");
        }

        if (row.LmsUserId.Length > 255)
        {
            problems.Add($"The {Columns.LmsUserId} is longer than 255 characters.");
        }

        if (row.Name.Length > 300)
        {
            problems.Add("The name is longer than 300 characters.");
        }

        Guid? schoolId = null;
        if (row.SchoolCode.Length > 0)
        {
            if (schoolsByCode.TryGetValue(row.SchoolCode.ToUpperInvariant(), out var id))
            {
                schoolId = id;
            }
            else
            {
                problems.Add($"Unknown school code \"{row.SchoolCode}\" (add the school with this code first).");
            }
        }

        var schoolRoles = ParseRoles(row.SchoolRoles, RoleScopes.School, Columns.SchoolRoles, problems);
        if (row.SchoolCode.Length == 0 && schoolRoles != ProductRoles.None)
        {
            problems.Add($"{Columns.SchoolRoles} needs a {Columns.SchoolCode} to say which school.");
        }

        var districtRoles = ParseRoles(row.DistrictRoles, RoleScopes.District, Columns.DistrictRoles, problems);

        // Who the row is about.
        string personKey;
        Person? person = null;
        if (row.LmsUserId.Length > 0)
        {
            var matches = people.BySubject[row.LmsUserId].ToList();
            if (matches.Count > 1)
            {
                problems.Add($"The {Columns.LmsUserId} \"{row.LmsUserId}\" matches people of several LMSs in your district; the file cannot say which.");
            }
            else if (matches.Count == 1)
            {
                person = matches[0];
            }
            else if (platforms.Count != 1)
            {
                problems.Add($"No one with the {Columns.LmsUserId} \"{row.LmsUserId}\" has opened the tool yet, and your district has "
                    + (platforms.Count == 0 ? "no LMS registered" : $"{platforms.Count} LMSs registered")
                    + ", so the import cannot tell which LMS they belong to. Ask them to open the tool from their course once, then import again.");
            }
            else if (row.Name.Length == 0)
            {
                problems.Add($"The {Columns.LmsUserId} \"{row.LmsUserId}\" is new to the tool: give their name to add them.");
            }

            personKey = person is null ? "new\n" + row.LmsUserId : person.Id.ToString();
        }
        else
        {
            var matches = people.ByEmail[row.Email.ToUpperInvariant()].ToList();
            if (matches.Count == 0)
            {
                problems.Add($"No one in your district has the email \"{row.Email}\". Give their {Columns.LmsUserId} to add someone new.");
            }
            else if (matches.Count > 1)
            {
                problems.Add($"Several people in your district have the email \"{row.Email}\"; give the {Columns.LmsUserId} instead.");
            }
            else
            {
                person = matches[0];
            }

            personKey = person?.Id.ToString() ?? "email\n" + row.Email.ToUpperInvariant();
        }

        var rowKey = personKey + "\n" + (schoolId?.ToString() ?? row.SchoolCode.ToUpperInvariant());
        if (plan.Lines.TryGetValue(rowKey, out var firstLine))
        {
            problems.Add($"Duplicate row: line {firstLine} already sets this person" + (row.SchoolCode.Length > 0 ? $" at school {row.SchoolCode}." : "."));
        }
        else
        {
            plan.Lines[rowKey] = row.Line;
        }

        if (plan.HasDistrictRoles)
        {
            if (plan.DistrictRoles.TryGetValue(personKey, out var earlier) && earlier.Roles != districtRoles)
            {
                problems.Add($"{Columns.DistrictRoles} differ from line {earlier.Line} for the same person; give the same on every row.");
            }
            else
            {
                plan.DistrictRoles.TryAdd(personKey, (districtRoles, row.Line));
            }
        }

        if (problems.Count > 0)
        {
            return string.Join(" ", problems);
        }

        if (person is not null)
        {
            plan.Existing[personKey] = person;
        }
        else
        {
            plan.New.TryAdd(personKey, row);
        }

        if (schoolId is { } school)
        {
            plan.Memberships.Add((personKey, school, schoolRoles));
        }

        return null;
    }

    private static ProductRoles ParseRoles(string cell, ProductRoles allowed, string column, List<string> problems)
    {
        var roles = ProductRoles.None;
        foreach (var name in cell.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (RoleNames.TryGetValue(name, out var role) && (allowed & role) == role)
            {
                roles |= role;
            }
            else
            {
                var names = RoleNames.Where(r => (allowed & r.Value) == r.Value).Select(r => r.Key);
                problems.Add($"Unknown role \"{name}\" in {column} (use {string.Join(", ", names)}, separated by ';').");
            }
        }

        return roles;
    }

    private async Task<ImportSummary> ApplyAsync(Actor actor, ParsedFile file, Plan plan, List<Guid> platforms, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        int created = 0, updated = 0, set = 0, removed = 0;
        foreach (var (key, row) in plan.New)
        {
            var person = new Person
            {
                Id = Guid.NewGuid(), TenantId = actor.TenantId, PlatformId = platforms[0], Subject = row.LmsUserId, Name = row.Name,
                Email = row.Email.Length > 0 ? row.Email : null, CreatedAt = now, LastLaunchAt = now,
                AssignedRoles = plan.DistrictRoles.TryGetValue(key, out var roles) ? roles.Roles : ProductRoles.None,
            };
            db.People.Add(person);
            ids[key] = person.Id;
            created++;
        }

        foreach (var (key, person) in plan.Existing)
        {
            ids[key] = person.Id;
            if (file.HasDistrictRoles && plan.DistrictRoles.TryGetValue(key, out var roles) && person.AssignedRoles != roles.Roles)
            {
                person.AssignedRoles = roles.Roles;
                updated++;
            }
        }

        var existingIds = plan.Existing.Values.Select(p => p.Id).ToList();
        var memberships = new List<SchoolMembership>();
        foreach (var batch in existingIds.Chunk(LookupBatch))
        {
            memberships.AddRange(await db.SchoolMemberships.Where(m => batch.Contains(m.PersonId)).ToListAsync(cancellationToken));
        }

        foreach (var (key, schoolId, roles) in plan.Memberships)
        {
            var personId = ids[key];
            var membership = memberships.Find(m => m.PersonId == personId && m.SchoolId == schoolId);
            if (membership is null && roles != ProductRoles.None)
            {
                db.SchoolMemberships.Add(new SchoolMembership { PersonId = personId, SchoolId = schoolId, Roles = roles, Source = MembershipSource.Import, UpdatedAt = now });
                set++;
            }
            else if (membership is not null && roles == ProductRoles.None)
            {
                db.SchoolMemberships.Remove(membership);
                removed++;
            }
            else if (membership is not null && (membership.Roles != roles || membership.Source != MembershipSource.Import))
            {
                membership.Roles = roles;
                membership.Source = MembershipSource.Import;
                membership.UpdatedAt = now;
                set++;
            }
        }

        try
        {
            // One SaveChanges is one transaction: all of the file or none of it.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new RuleViolationException("Someone in the file opened the tool or was changed while the file was imported. Nothing was imported; import the file again.");
        }

        return new ImportSummary(file.Rows.Count, created, updated, set, removed);
    }

    private sealed record Row(int Line, string LmsUserId, string Email, string Name, string SchoolCode, string SchoolRoles, string DistrictRoles);

    private sealed record ParsedFile(List<Row> Rows, bool HasDistrictRoles);

    private sealed record KnownPeople(ILookup<string, Person> BySubject, ILookup<string, Person> ByEmail);

    /// <summary>What the rows checked so far ask for, keyed by a person key (the person's id, or how a new person is named).</summary>
    private sealed class Plan
    {
        public bool HasDistrictRoles { get; init; }

        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (ProductRoles Roles, int Line)> DistrictRoles { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Person> Existing { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Row> New { get; } = new(StringComparer.Ordinal);

        public List<(string PersonKey, Guid SchoolId, ProductRoles Roles)> Memberships { get; } = [];
    }
}
