/**
 * Re-export: the critical initialisation parametrised by q* (Pennington et al. 2017, §2.3) lives in the one
 * criticality module, src/theory/critical.ts (`criticalFromQStar`, `activeFraction`). Kept so that imports
 * of this path keep working; new code imports ../critical.js.
 */
export { activeFraction, criticalFromQStar, type QStarCritical } from "../critical.js";
