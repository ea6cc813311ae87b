using LtiMicroCred.Lti.Roles;

namespace LtiMicroCred.People;

/// <summary>What a person may do in the product. A person can hold several.</summary>
[Flags]
public enum ProductRoles
{
    None = 0,
    Teacher = 1,
    PeerReviewer = 2,
    Coach = 4,
    Principal = 8,
    DistrictAdmin = 16,
}

/// <summary>
/// Default product roles from the LTI roles of a launch. The table is documented in the README
/// ("Roles"); anything not listed gives no role, so an unexpected LMS role never grants rights.
/// </summary>
public static class RoleMap
{
    private static readonly (LtiRoleScope Scope, string Name, ProductRoles Roles)[] Table =
    [
        (LtiRoleScope.System, LisRoleNames.Administrator, ProductRoles.DistrictAdmin),
        (LtiRoleScope.System, LisRoleNames.SysAdmin, ProductRoles.DistrictAdmin),
        (LtiRoleScope.Institution, LisRoleNames.Administrator, ProductRoles.DistrictAdmin),
        (LtiRoleScope.Context, LisRoleNames.Administrator, ProductRoles.Principal),
        (LtiRoleScope.Context, LisRoleNames.Instructor, ProductRoles.Coach),
        (LtiRoleScope.Context, LisRoleNames.Mentor, ProductRoles.Coach),
        (LtiRoleScope.Context, LisRoleNames.TeachingAssistant, ProductRoles.PeerReviewer),
        (LtiRoleScope.Context, LisRoleNames.Learner, ProductRoles.Teacher),
        (LtiRoleScope.Context, LisRoleNames.ContentDeveloper, ProductRoles.Teacher),
        (LtiRoleScope.Institution, LisRoleNames.Faculty, ProductRoles.Teacher),
        (LtiRoleScope.Institution, LisRoleNames.Instructor, ProductRoles.Teacher),
        (LtiRoleScope.Institution, LisRoleNames.Staff, ProductRoles.Teacher),
    ];

    public static ProductRoles FromLti(IEnumerable<LtiRole> roles)
    {
        var result = ProductRoles.None;
        foreach (var role in roles)
        {
            foreach (var (scope, name, mapped) in Table)
            {
                if (role.Is(scope, name))
                {
                    result |= mapped;
                }
            }
        }

        return result;
    }

    /// <summary>Every role the person holds, most senior first, for a greeting ("signed in as Principal, Teacher").</summary>
    public static string Describe(ProductRoles roles)
    {
        var names = new List<string>();
        if (roles.HasFlag(ProductRoles.DistrictAdmin)) names.Add("District administrator");
        if (roles.HasFlag(ProductRoles.Principal)) names.Add("Principal");
        if (roles.HasFlag(ProductRoles.Coach)) names.Add("Coach");
        if (roles.HasFlag(ProductRoles.PeerReviewer)) names.Add("Peer reviewer");
        if (roles.HasFlag(ProductRoles.Teacher)) names.Add("Teacher");
        return names.Count == 0 ? "Guest" : string.Join(", ", names);
    }
}
