using LtiMicroCred.Benchmarks;

// Three modes, each bounded and ending by itself:
//   --rs256                       the machine's bare RS256 rates, the reference for the launch figures
//   --base-url http://127.0.0.1:N full LTI launches against an already-running host (loopback only)
//   --canvas-pull                 pulls submissions and attachments from a WireMock Canvas with added latency
return await Cli.RunAsync(args);
