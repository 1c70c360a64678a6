import Vapor

/// Registers every route collection; the routes themselves live in the controllers.
func routes(_ app: Application) throws {
    try app.register(collection: SystemController())
    try app.register(collection: WebController())
    let api = app.grouped("api", "v1")
    try api.register(collection: WorkspaceController())
    try api.register(collection: QueuesController())
    try api.register(collection: ItemsController())
    try api.register(collection: LabelingController())
    try api.register(collection: ResultsController())
    try api.register(collection: JobsController())
    try api.register(collection: QualityController())
    try api.register(collection: AuditController())
    try api.register(collection: ArbitrationController())
    try api.register(collection: QAController())
    try api.register(collection: GuidelinesController())
    try api.register(collection: ExamsController())
    try api.register(collection: CalibrationController())
    try api.register(collection: ReportsController())
    try api.register(collection: PredictionsController())
}
