using LtiMicroCred.Benchmarks;

// Two modes, both bounded and both ending by themselves:
//   --rs256                       the machine's bare RS256 rates, the reference for the launch figures
//   --base-url http://127.0.0.1:N full LTI launches against an already-running host (loopback only)
return await Cli.RunAsync(args);
