export { type DashboardOptions, dashboardRoutes } from "./dashboard-routes.js";
export { type ReportOptions, type ReportSummary, renderReport } from "./render-report.js";
