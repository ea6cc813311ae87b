using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LtiMicroCred.Sandbox.Http;
using LtiMicroCred.Sandbox.OAuth;
using LtiMicroCred.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LtiMicroCred.Sandbox.Nrps;

/// <summary>
/// LTI Names and Role Provisioning Services 2.0 on Canvas's path: the members of a course with their context roles,
/// filtered by role and resource link, in pages.
/// </summary>
internal static class SandboxNrpsEndpoint
{
    private const string CanvasUserIdClaim = "https://www.instructure.com/canvas_user_id";
    private const string CanvasLoginIdClaim = "https://www.instructure.com/canvas_user_login_id";

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/lti/courses/{courseId}/names_and_roles", Memberships);

    private static IResult Memberships(HttpContext context, string courseId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.ContextMembershipReadOnly) is { } refused)
        {
            return refused;
        }

        if (lms.FindCourseByCanvasId(courseId) is not { } course)
        {
            return SandboxJson.NotFound();
        }

        var query = context.Request.Query;
        SandboxResourceLink? link = null;
        if (query.TryGetValue("rlid", out var rlid))
        {
            link = store.FindResourceLink(rlid.ToString());
            if (link is null || link.CourseId != course.Id)
            {
                return SandboxJson.NotFound();
            }
        }

        IEnumerable<SandboxPerson> members = lms.People;
        if (query.TryGetValue("role", out var role))
        {
            var wanted = SandboxLtiRoles.Expand(role.ToString());
            members = members.Where(p => ContextRoles(p).Contains(wanted, StringComparer.Ordinal));
        }

        var page = SandboxPaging.Page(context, lms, members.ToList(), "limit");
        var body = new JsonObject
        {
            // The spec makes id the URL of this very request.
            ["id"] = lms.BaseUrl + context.Request.Path + context.Request.QueryString,
            ["context"] = new JsonObject { ["id"] = course.Id, ["label"] = course.Label, ["title"] = course.Title },
            ["members"] = SandboxJson.Array(page.Select(p => Member(lms, course, link, p))),
        };
        return SandboxJson.Ok(body, SandboxMediaTypes.MembershipContainer);
    }

    /// <summary>NRPS reports a person's roles in the course only, not their institution roles.</summary>
    internal static IReadOnlyList<string> ContextRoles(SandboxPerson person) =>
        person.Roles.Where(r => r.StartsWith(SandboxLtiRoles.MembershipPrefix, StringComparison.Ordinal)).ToList();

    private static JsonObject Member(SandboxLms lms, SandboxCourse course, SandboxResourceLink? link, SandboxPerson person)
    {
        var member = SandboxJson.Compact(
            ("status", "Active"),
            ("name", person.Name),
            ("picture", lms.Root + SandboxAssets.AvatarPath),
            ("given_name", person.GivenName),
            ("family_name", person.FamilyName),
            ("email", person.Email),
            ("lis_person_sourcedid", SisId(person)),
            ("user_id", person.Id),
            ("lti11_legacy_user_id", Lti11Id(person)),
            ("roles", SandboxJson.Strings(ContextRoles(person))));
        if (link is not null)
        {
            // With rlid, each member carries what a launch of that link would send them (a subset, as in Canvas).
            var custom = new JsonObject();
            foreach (var (name, value) in SandboxSeed.CustomParametersFor(person).Concat(SandboxSeed.CanvasSubstitutionsFor(person, course)).Concat(link.Custom))
            {
                custom[name] = value;
            }

            member["message"] = new JsonArray(new JsonObject
            {
                [SandboxLtiClaims.MessageType] = SandboxLtiClaims.ResourceLinkRequest,
                ["locale"] = "en",
                [CanvasUserIdClaim] = person.CanvasId,
                [CanvasLoginIdClaim] = LoginId(person),
                [SandboxLtiClaims.Custom] = custom,
            });
        }

        return member;
    }

    internal static string SisId(SandboxPerson person) => "SIS-" + person.CanvasId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string LoginId(SandboxPerson person) => person.Email;

    /// <summary>A stable opaque id standing in for the LTI 1.1 user_id Canvas reports for migrated tools.</summary>
    private static string Lti11Id(SandboxPerson person) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("sandbox-lti11:" + person.Id)))[..40].ToLowerInvariant();
}
