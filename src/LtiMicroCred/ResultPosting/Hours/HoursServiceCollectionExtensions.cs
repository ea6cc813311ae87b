using LtiMicroCred.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.ResultPosting.Hours;

public static class HoursServiceCollectionExtensions
{
    /// <summary>In-service hours to the PD course's line item, and the credentials' own line items.</summary>
    public static IServiceCollection AddHoursPassback(this IServiceCollection services)
    {
        services.AddScoped<HoursPassback>();
        services.AddOutboxHandler<HoursPassbackHandler>(HoursPassback.Kind);
        services.AddOutboxHandler<HoursColumnHandler>(HoursColumnHandler.ColumnKind);
        services.AddScoped<SetHoursColumn>();
        services.AddScoped<HoursQueries>();
        services.AddScoped<UsePdCourseForHours>();
        services.AddScoped<CredentialLineItemQueries>();
        services.AddScoped<CreateCredentialLineItem>();
        return services;
    }
}
