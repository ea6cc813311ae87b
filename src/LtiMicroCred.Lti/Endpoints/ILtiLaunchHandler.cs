using LtiMicroCred.Lti.Claims;
using LtiMicroCred.Lti.Platforms;
using Microsoft.AspNetCore.Http;

namespace LtiMicroCred.Lti.Endpoints;

/// <summary>What the host does with a launch the LTI layer has validated: the seam between LTI and the product.</summary>
public interface ILtiLaunchHandler
{
    Task<IResult> HandleAsync(HttpContext httpContext, LtiPlatform platform, LtiLaunchMessage message, CancellationToken cancellationToken);
}
