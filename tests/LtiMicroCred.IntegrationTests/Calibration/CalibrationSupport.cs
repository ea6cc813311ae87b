using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Schools;

namespace LtiMicroCred.IntegrationTests.Calibration;

/// <summary>People and rubrics the calibration and coaching tests add to a <see cref="TestDistrict"/>.</summary>
internal static class CalibrationSupport
{
    /// <summary>Two rubric criteria ("a", "b") on three levels; passing needs every criterion at level 1 or above.</summary>
    public static CredentialDefinition TwoCriteria() => TestDistrict.Definition() with
    {
        Rubric = new Rubric
        {
            Levels = [new RubricLevel("Not yet", 0), new RubricLevel("Developing", 1), new RubricLevel("Proficient", 2)],
            Criteria =
            [
                new RubricCriterion("a", "Analysis", ["Missing", "Partial", "Complete"]),
                new RubricCriterion("b", "Re-teaching", ["Missing", "Partial", "Complete"]),
            ],
            Passing = new PassingRule(MinimumLevel: 1),
        },
    };

    public static async Task<Person> AddPersonAsync(ToolHost host, TestDistrict d, string name, School? school, ProductRoles roles, ProductRoles assigned = ProductRoles.None)
    {
        var now = DateTimeOffset.UtcNow;
        var person = new Person
        {
            Id = Guid.NewGuid(), TenantId = d.TenantId, PlatformId = d.PlatformId, Subject = Guid.NewGuid().ToString("N"), Name = name,
            CreatedAt = now, LastLaunchAt = now, AssignedRoles = assigned,
        };
        await host.WithDbAsync(async db =>
        {
            db.People.Add(person);
            if (school is not null)
            {
                db.SchoolMemberships.Add(new SchoolMembership { PersonId = person.Id, SchoolId = school.Id, Roles = roles, Source = MembershipSource.Administrator, UpdatedAt = now });
            }

            return await db.SaveChangesAsync();
        });
        return person;
    }

    public static Dictionary<string, int?> Levels(int a, int b) => new() { ["a"] = a, ["b"] = b };
}
