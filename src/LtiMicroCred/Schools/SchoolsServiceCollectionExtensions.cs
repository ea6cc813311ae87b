using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Schools;

public static class SchoolsServiceCollectionExtensions
{
    /// <summary>People, schools and roles: the directory's use cases, its roster job and the launch's alias cache.</summary>
    public static IServiceCollection AddSchools(this IServiceCollection services)
    {
        services.AddSingleton<SchoolAliasCache>();
        services.AddScoped<ManageSchools>();
        services.AddScoped<AssignRoles>();
        services.AddScoped<ImportDirectoryCsv>();
        services.AddScoped<RequestRosterSync>();
        services.AddScoped<SyncRosterJob>();
        return services;
    }
}
