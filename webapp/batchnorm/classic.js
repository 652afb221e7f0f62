// Mounts the batch-norm parts on the page's classic scripts (app.js exposes window.teagradPage).
import { mountBatchNorm } from './index.js';

const page = window.teagradPage;
if (page) mountBatchNorm(page, page.views());
