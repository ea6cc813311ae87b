using System.Diagnostics;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Catalog.Sample;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Benchmarks.Queues;

/// <summary>How big the generated district is. The defaults are a Tennessee-sized state programme.</summary>
internal sealed record DistrictSize(int Teachers = 67_000, int Schools = 1_700, int Attempts = 500_000, int Reviews = 1_500_000, int Seed = 20261124);

/// <summary>What the generator made that the queue measurements pick their people from.</summary>
internal sealed record GeneratedDistrict(Guid TenantId, IReadOnlyList<Guid> Principals, IReadOnlyList<Guid> Reviewers, IReadOnlyList<Guid> Admins, TimeSpan Took);

/// <summary>
/// Fills one tenant through the product's own model (EF, the real schema from the migrations): schools, teachers (a
/// fifth of them also peer reviewers), one principal per school, the sample catalog, and attempts in every status with
/// their peer reviews. The mix is a programme some years in: most attempts decided, a few thousand waiting on a
/// principal, tens of thousands of reviews open, some of them overdue. Deterministic for a seed.
/// </summary>
internal static partial class DistrictGenerator
{
    private const int Batch = 5_000;

    public static async Task<GeneratedDistrict> GenerateAsync(IServiceProvider services, DistrictSize size, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(size.Seed);
        var tenantId = Guid.NewGuid();
        var platformId = Guid.NewGuid();
        Guid[] schools;
        List<(Guid Credential, Guid Version, Guid Offering, Rubric Rubric)> credentials;

        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Tenants.Add(new Tenant { Id = tenantId, Name = "Tennessee-sized district", CreatedAt = now });
            db.Platforms.Add(new PlatformRegistration
            {
                Id = platformId, TenantId = tenantId, Name = "Bench LMS", Issuer = "https://bench.example", ClientId = "bench",
                AuthorizationEndpoint = "https://bench.example/auth", TokenEndpoint = "https://bench.example/token", JwksUrl = "https://bench.example/jwks",
                CreatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<SampleCatalog>().LoadIfEmptyAsync(tenantId, cancellationToken);
            var existing = await db.Schools.Where(s => s.TenantId == tenantId).Select(s => s.Id).ToListAsync(cancellationToken);
            for (var i = existing.Count; i < size.Schools; i++)
            {
                var school = new School { Id = Guid.NewGuid(), TenantId = tenantId, Name = $"School {i + 1:D4}", Code = $"s{i + 1:D4}", CreatedAt = now };
                db.Schools.Add(school);
                existing.Add(school.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            schools = [.. existing];
            var versions = await db.CredentialVersions.Where(v => db.Credentials.Any(c => c.Id == v.CredentialId && c.TenantId == tenantId)).ToListAsync(cancellationToken);
            var offerings = await db.Offerings.Where(o => o.TenantId == tenantId).ToListAsync(cancellationToken);
            credentials = [.. versions.GroupBy(v => v.CredentialId).Select(g => g.OrderByDescending(v => v.Number).First())
                .Select(v => (v.CredentialId, v.Id, offerings.FirstOrDefault(o => o.CredentialId == v.CredentialId)?.Id ?? Guid.Empty, v.Definition.Rubric))
                .Where(c => c.Item3 != Guid.Empty)];
        }

        Progress($"schools {schools.Length}, credentials with offerings {credentials.Count}");

        // Three district administrators, who see every school.
        var admins = new List<Guid>();
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            for (var i = 0; i < 3; i++)
            {
                var admin = new Person
                {
                    Id = Guid.NewGuid(), TenantId = tenantId, PlatformId = platformId, Subject = $"bench-admin-{i}", Name = $"Administrator {i}",
                    CreatedAt = now, LastLaunchAt = now, AssignedRoles = ProductRoles.DistrictAdmin,
                };
                db.People.Add(admin);
                admins.Add(admin.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        // People: teachers spread over the schools, every fifth also a peer reviewer; a principal per school.
        var teachers = new (Guid Id, Guid School)[size.Teachers];
        var reviewers = new List<Guid>();
        var principals = new List<Guid>();
        await InBatchesAsync(services, size.Teachers + schools.Length, (db, i) =>
        {
            var isPrincipal = i >= size.Teachers;
            var school = isPrincipal ? schools[i - size.Teachers] : schools[i % schools.Length];
            var roles = isPrincipal ? ProductRoles.Principal : i % 5 == 0 ? ProductRoles.Teacher | ProductRoles.PeerReviewer : ProductRoles.Teacher;
            var person = new Person
            {
                Id = Guid.NewGuid(), TenantId = tenantId, PlatformId = platformId, Subject = $"bench-{i}", Name = $"Person {i}",
                CreatedAt = now, LastLaunchAt = now,
            };
            db.People.Add(person);
            db.SchoolMemberships.Add(new SchoolMembership { PersonId = person.Id, SchoolId = school, Roles = roles, Source = MembershipSource.Import, UpdatedAt = now });
            if (isPrincipal)
            {
                principals.Add(person.Id);
            }
            else
            {
                teachers[i] = (person.Id, school);
                if (roles.HasFlag(ProductRoles.PeerReviewer))
                {
                    reviewers.Add(person.Id);
                }
            }
        }, cancellationToken);
        Progress($"people {size.Teachers + schools.Length} ({reviewers.Count} reviewers) at {clock.Elapsed.TotalSeconds:F0} s");

        // Attempts, and peer reviews for the submitted ones: three that count, plus reallocated ones (the history of
        // late reviews given to someone else) until the review count is reached.
        var reviewsLeft = size.Reviews;
        var perSubmitted = size.Reviews / (size.Attempts * SubmittedShare);
        await InBatchesAsync(services, size.Attempts, (db, i) =>
        {
            var (teacher, school) = teachers[random.Next(teachers.Length)];
            var (credential, version, offering, rubric) = credentials[random.Next(credentials.Count)];
            var status = PickStatus(random);
            var created = now.AddDays(-random.Next(1, 900));
            var submitted = status is AttemptStatus.Submitted or AttemptStatus.InReview or AttemptStatus.Awarded or AttemptStatus.NotYet or AttemptStatus.Resubmitted
                ? created.AddDays(random.Next(1, 60)) : (DateTimeOffset?)null;
            if (submitted > now)
            {
                submitted = now.AddHours(-random.Next(1, 200));
            }

            var attempt = new Attempt
            {
                Id = Guid.NewGuid(), TenantId = tenantId, TeacherId = teacher, CredentialId = credential, CredentialVersionId = version,
                OfferingId = offering, SchoolId = school, Status = status, CreatedAt = created, UpdatedAt = submitted ?? created,
                SubmittedAt = submitted, Revision = Guid.NewGuid(),
            };
            db.Attempts.Add(attempt);
            if (submitted is not { } at || reviewsLeft <= 0 || status == AttemptStatus.Submitted)
            {
                if (status == AttemptStatus.Submitted)
                {
                    attempt.ReadyForDecisionAt = submitted;
                }

                return;
            }

            var open = status == AttemptStatus.InReview;
            var openCount = open ? random.Next(0, 4) : 0;
            var count = (int)perSubmitted + (random.NextDouble() < perSubmitted - (int)perSubmitted ? 1 : 0);
            var reallocated = Math.Max(0, count - 3);
            for (var r = 0; r < Math.Max(count, 3) && reviewsLeft > 0; r++, reviewsLeft--)
            {
                var state = r < reallocated ? ReviewStatus.Reallocated
                    : r - reallocated < openCount ? (random.Next(3) == 0 ? ReviewStatus.Draft : ReviewStatus.Allocated)
                    : ReviewStatus.Submitted;
                var done = state == ReviewStatus.Submitted;
                var allocated = at.AddDays(r < reallocated ? 0 : random.Next(0, 3));
                db.ReviewAssignments.Add(new ReviewAssignment
                {
                    Id = Guid.NewGuid(), TenantId = tenantId, AttemptId = attempt.Id, ReviewerId = reviewers[random.Next(reviewers.Count)],
                    Status = state, AllocatedAt = allocated, DueAt = allocated.AddDays(7),
                    Scores = done ? [.. rubric.Criteria.Select(c => new CriterionScore(c.Key, random.Next(rubric.Levels.Count), "Feedback"))] : [],
                    Outcome = done ? (random.Next(4) == 0 ? ReviewOutcome.NotYet : ReviewOutcome.Pass) : null,
                    SubmittedAt = done ? allocated.AddDays(random.Next(1, 7)) : null, Revision = Guid.NewGuid(),
                });
            }

            if (open && openCount == 0)
            {
                attempt.ReadyForDecisionAt = at.AddDays(random.Next(1, 7));
                attempt.ReviewsConflict = random.Next(10) == 0;
            }
        }, cancellationToken);
        Progress($"attempts {size.Attempts}, reviews {size.Reviews - reviewsLeft} at {clock.Elapsed.TotalSeconds:F0} s");
        await AddReportDataAsync(services, tenantId, size.Seed, now, cancellationToken);
        Progress($"report data at {clock.Elapsed.TotalSeconds:F0} s");

        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        }

        return new GeneratedDistrict(tenantId, principals, reviewers, admins, clock.Elapsed);
    }

    /// <summary>The share of attempts <see cref="PickStatus"/> makes reviewed (in review or decided).</summary>
    private const double SubmittedShare = 0.70;

    /// <summary>Roughly a programme some years in: most attempts closed, a few percent waiting on someone.</summary>
    private static AttemptStatus PickStatus(Random random) => random.Next(100) switch
    {
        < 45 => AttemptStatus.Awarded,
        < 55 => AttemptStatus.NotYet,
        < 60 => AttemptStatus.Resubmitted,
        < 66 => AttemptStatus.Withdrawn,
        < 72 => AttemptStatus.Planning,
        < 74 => AttemptStatus.PlanSubmitted,
        < 88 => AttemptStatus.InProgress,
        < 90 => AttemptStatus.Submitted,
        _ => AttemptStatus.InReview,
    };

    internal static async Task InBatchesAsync(IServiceProvider services, int count, Action<AppDbContext, int> add, CancellationToken cancellationToken)
    {
        for (var start = 0; start < count; start += Batch)
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                add(db, i);
            }

            await db.SaveChangesAsync(cancellationToken);
            if (start / Batch % 20 == 0)
            {
                Progress($"  {Math.Min(count, start + Batch)} / {count}");
            }
        }
    }

    private static void Progress(string line) => Console.Error.WriteLine("queues: " + line);
}
