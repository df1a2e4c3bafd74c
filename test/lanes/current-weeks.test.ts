import { systemLanes } from '../system-lanes.js';
import { runLane } from './lane.js';

runLane(systemLanes.currentWeeks);
