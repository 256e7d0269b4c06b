using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;
using Pipeline.TestWorkers;

// Usage: Pipeline.TestWorkers --TestProcessorOptions:Stage Invert|DiffCam|Deghost [configuration…]
var builder = WebApplication.CreateBuilder(args);
var stage = TestProcessors.StageFrom(builder.Configuration);
builder.AddStageWorker(TestProcessors.WorkerOf(stage));
builder.Services.AddTestProcessors(stage);

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
