namespace LtiMicroCred.Lti.Roles;

/// <summary>Where an LIS role applies: in one course (context), across the institution, or the whole system.</summary>
public enum LtiRoleScope
{
    Context,
    Institution,
    System,
}

/// <summary>One LIS role as the platform sent it, parsed into scope, principal role and optional sub-role.</summary>
public sealed record LtiRole(LtiRoleScope Scope, string Name, string? SubRole, string Uri)
{
    private const string Vocabulary = "http://purl.imsglobal.org/vocab/lis/v2/";

    /// <summary>
    /// Parses a role URI. Accepts the full LIS v2 vocabulary (membership, membership/Role#Sub, institution/person,
    /// system/person) and, for older platforms, the bare context role names the spec deprecates (e.g. "Instructor").
    /// Returns null for anything else, so an unknown role gives no rights.
    /// </summary>
    public static LtiRole? Parse(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return null;
        }

        if (!uri.StartsWith(Vocabulary, StringComparison.Ordinal))
        {
            return IsPlainName(uri) ? new LtiRole(LtiRoleScope.Context, uri, null, uri) : null;
        }

        var rest = uri[Vocabulary.Length..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash <= 0 || hash == rest.Length - 1)
        {
            return null;
        }

        var path = rest[..hash];
        var fragment = rest[(hash + 1)..];
        return path switch
        {
            "membership" => new LtiRole(LtiRoleScope.Context, fragment, null, uri),
            "institution/person" => new LtiRole(LtiRoleScope.Institution, fragment, null, uri),
            "system/person" => new LtiRole(LtiRoleScope.System, fragment, null, uri),
            _ when path.StartsWith("membership/", StringComparison.Ordinal) && path.Length > "membership/".Length =>
                new LtiRole(LtiRoleScope.Context, path["membership/".Length..], fragment, uri),
            _ => null,
        };
    }

    public static IReadOnlyList<LtiRole> ParseAll(IEnumerable<string> uris) =>
        uris.Select(Parse).OfType<LtiRole>().ToList();

    public bool Is(LtiRoleScope scope, string name) =>
        Scope == scope && (string.Equals(Name, name, StringComparison.Ordinal) || string.Equals(SubRole, name, StringComparison.Ordinal));

    private static bool IsPlainName(string value) => value.Length is > 0 and < 64 && value.All(char.IsAsciiLetter);
}

/// <summary>Names of the LIS roles the tool looks at (the spec's own spelling).</summary>
public static class LisRoleNames
{
    public const string Administrator = "Administrator";
    public const string ContentDeveloper = "ContentDeveloper";
    public const string Instructor = "Instructor";
    public const string Learner = "Learner";
    public const string Mentor = "Mentor";
    public const string TeachingAssistant = "TeachingAssistant";
    public const string Faculty = "Faculty";
    public const string Staff = "Staff";
    public const string Student = "Student";
    public const string SysAdmin = "SysAdmin";
}
