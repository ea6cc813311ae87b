using LtiMicroCred.People;

namespace LtiMicroCred.Web.Pages.App.District.People;

/// <summary>
/// The base of the people, schools and roles pages: district administrators manage everything; a principal sees the
/// people of the schools they lead and may change some of their roles (see <see cref="Schools.AssignRoles"/>).
/// </summary>
public abstract class DirectoryPageModel : AppPageModel
{
    public const string BasePath = "/app/district/people";

    /// <summary>The roles in the order pages show them, with the words people read.</summary>
    public static IReadOnlyList<(ProductRoles Role, string Label)> RoleLabels { get; } =
    [
        (ProductRoles.DistrictAdmin, "District administrator"),
        (ProductRoles.Principal, "Principal"),
        (ProductRoles.Coach, "Coach"),
        (ProductRoles.PeerReviewer, "Peer reviewer"),
        (ProductRoles.Teacher, "Teacher"),
    ];

    /// <summary>Field errors of the last post, by field name, shown next to the fields and in a summary.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public static string Describe(ProductRoles roles) => roles == ProductRoles.None ? "None" : RoleMap.Describe(roles);

    protected void RequireDirectoryAccess()
    {
        if (!Actor.IsDistrictAdmin && Actor.PrincipalOf.Count == 0)
        {
            throw new ForbiddenException("Only district administrators and principals can see the people directory.");
        }
    }

    protected void ShowErrors(InvalidInputException invalid, string prefix = "")
    {
        foreach (var (field, message) in invalid.Errors)
        {
            Errors[prefix + field] = message;
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
