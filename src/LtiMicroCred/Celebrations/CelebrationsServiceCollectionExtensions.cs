using LtiMicroCred.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Celebrations;

public static class CelebrationsServiceCollectionExtensions
{
    /// <summary>Notifications, award celebrations, the leaders' digest, and email (SMTP or a pickup folder) through the outbox.</summary>
    public static IServiceCollection AddCelebrations(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .Validate(o => !o.UsesSmtp || o.Smtp.Port is > 0 and < 65536, "The setting Email:Smtp:Port must be a port number (1-65535).")
            .Validate(o => !o.UsesSmtp || SmtpOptions.IsKnownSecurity(o.Smtp.Security), "The setting Email:Smtp:Security must be StartTls, SslOnConnect, Auto or None.")
            .Validate(o => !o.Enabled || MimeKit.MailboxAddress.TryParse(o.From, out _), "The setting Email:From must be an email address.")
            .ValidateOnStart();
        services.AddScoped<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp)
            : ActivatorUtilities.CreateInstance<PickupDirectoryEmailSender>(sp));
        services.AddScoped<NotificationWriter>();
        services.AddScoped<AwardCelebrations>();
        services.AddScoped<NotificationQueries>();
        services.AddScoped<MarkNotificationsRead>();
        services.AddScoped<SetEmailPreference>();
        services.AddScoped<DigestSettingsQueries>();
        services.AddScoped<SetDigestSettings>();
        services.AddScoped<LeadersDigestJob>();
        services.AddOutboxHandler<EmailOutboxHandler>(NotificationWriter.EmailKind);
        return services;
    }
}
