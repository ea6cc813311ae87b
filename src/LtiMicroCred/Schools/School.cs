using LtiMicroCred.People;

namespace LtiMicroCred.Schools;

/// <summary>A school of a district. Principals act only for their schools; teachers belong to one or more.</summary>
public sealed class School
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    /// <summary>The district's own code for the school (state id, SIS code), unique in the tenant when given.</summary>
    public string? Code { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Where a membership came from: a launch can add one, only an administrator or an import can remove one.</summary>
public enum MembershipSource
{
    Launch = 0,
    Administrator = 1,
    Import = 2,
}

/// <summary>A person's roles at one school (teacher, peer reviewer, coach, principal).</summary>
public sealed class SchoolMembership
{
    public Guid PersonId { get; set; }

    public Guid SchoolId { get; set; }

    public ProductRoles Roles { get; set; }

    public MembershipSource Source { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Maps a value a launch carries (a Canvas sub-account id or name, through a custom parameter) to a school, so a
/// launch from a school's course places the person in that school.
/// </summary>
public sealed class SchoolAlias
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The custom parameter the value comes from, for example "canvas_account_id" or "school_name".</summary>
    public required string Parameter { get; set; }

    public required string Value { get; set; }

    public Guid SchoolId { get; set; }
}
