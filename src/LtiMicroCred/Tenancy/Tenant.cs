namespace LtiMicroCred.Tenancy;

/// <summary>A district: every platform, person and record belongs to exactly one.</summary>
public sealed class Tenant
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An LMS registration (issuer + client id) owned by one tenant.</summary>
public sealed class PlatformRegistration
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public required string Issuer { get; set; }

    public required string ClientId { get; set; }

    public required string AuthorizationEndpoint { get; set; }

    public required string TokenEndpoint { get; set; }

    public required string JwksUrl { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public List<PlatformDeployment> Deployments { get; set; } = [];
}

/// <summary>One deployment of the tool in a platform (Canvas: per account or course where it was installed).</summary>
public sealed class PlatformDeployment
{
    public Guid Id { get; set; }

    public Guid PlatformId { get; set; }

    public required string DeploymentId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
