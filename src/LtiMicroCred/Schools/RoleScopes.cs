using LtiMicroCred.People;

namespace LtiMicroCred.Schools;

/// <summary>Which product roles belong where: some are held at a school, some district-wide.</summary>
public static class RoleScopes
{
    /// <summary>Roles a person holds at a school (a membership's roles).</summary>
    public const ProductRoles School = ProductRoles.Teacher | ProductRoles.PeerReviewer | ProductRoles.Coach | ProductRoles.Principal;

    /// <summary>
    /// Roles a district administrator can give district-wide. Teacher and principal are left out on purpose: a
    /// principal acts for named schools, and a teacher's school decides who approves their plans.
    /// </summary>
    public const ProductRoles District = ProductRoles.DistrictAdmin | ProductRoles.Coach | ProductRoles.PeerReviewer;

    /// <summary>What a principal may give or take at their own school.</summary>
    public const ProductRoles PrincipalMayAssign = ProductRoles.Teacher | ProductRoles.PeerReviewer | ProductRoles.Coach;
}
