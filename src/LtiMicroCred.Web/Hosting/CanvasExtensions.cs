using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Hosting;
using LtiMicroCred.CanvasAccess;

namespace LtiMicroCred.Web.Hosting;

public static class CanvasExtensions
{
    /// <summary>
    /// The Canvas REST client (settings from the "Canvas" section, checked here so a bad one stops the app with a
    /// sentence naming it) and the product's Canvas access: developer keys, stored user tokens, the connect flow.
    /// </summary>
    public static void AddCanvas(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(CanvasClientOptions.SectionName);
        var options = new CanvasClientOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupConfigurationException($"A setting of the {CanvasClientOptions.SectionName} section has a value of the wrong type ({e.InnerException?.Message ?? e.Message}).");
        }

        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new StartupConfigurationException("The setting " + string.Join(" The setting ", problems));
        }

        builder.Services.AddOptions<CanvasClientOptions>().Bind(section);
        builder.Services.AddCanvasClient();
        builder.Services.AddCanvasAccess();
    }
}
