using Pipeline.Contracts;
using Pipeline.Hosting.Health;
using Pipeline.Hosting.Workers;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageWorker(Stage.Invert);

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
