export { planWeek } from './plan-week.js';
export { planWeekExact, planWeekExactState, type ExactReport } from './plan-week-exact.js';
export { validatePlan, type PlanRule, type PlanViolation } from './validate-plan.js';
export { naiveGreedyPlan } from './naive-greedy.js';
export { planningWeek, weekHolidays, weekDates, type WeekDay } from './time-grid.js';
export { compareScores, type Score } from './plan-state.js';
export type { PlannedVisit, PlanningProblem, PlanningProblemInput, PlanningResult, Shortfall, PlanStats } from '../../schemas/planning.js';
export { generateInstance, kalmarCountyTravelMatrix, pilotMunicipalities, type InstanceOptions, type InstanceScale } from './instances.js';
