using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LtiMicroCred.Reviews;

public static class ReviewsServiceCollectionExtensions
{
    /// <summary>Peer review: allocation, the reviewer's work, reallocation, settings, reads and the timeliness job.</summary>
    public static IServiceCollection AddReviews(this IServiceCollection services)
    {
        // Tests replace it with a seeded one (registered before AddProduct runs, or after with Replace).
        services.TryAddSingleton<IReviewRandomness>(new ReviewRandomness());
        services.AddScoped<SchoolCalendar>();
        services.AddScoped<ReviewAllocator>();
        services.AddScoped<ReviewAccess>();
        services.AddScoped<SaveReviewDraft>();
        services.AddScoped<SubmitReview>();
        services.AddScoped<ReallocateReview>();
        services.AddScoped<DeclareConflict>();
        services.AddScoped<SetReviewPolicy>();
        services.AddScoped<SetReviewProgramme>();
        services.AddScoped<ReviewQueries>();
        services.AddScoped<ReviewTimelinessJob>();
        return services;
    }
}
