// chart.js is loaded on first use (the deal tab never pays for it), from our own server.
let loading = null;

export function loadChart(assetBase) {
  if (window.Chart) return Promise.resolve(window.Chart);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = assetBase.replace(/\/assets$/, '') + '/vendor/chart.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = () => reject(new Error('chart.js did not load'));
    document.head.append(script);
  });
  return loading;
}

export const COLORS = { blue: '#2fc6f6', blueDark: '#1fa8d6', red: '#ff5752', grey: '#c6cdd3', green: '#7bd500', orange: '#ffa900' };

/** Charts animate only when the user has not asked for less motion; screenshots want none either way. */
export function baseOptions() {
  const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  return { responsive: true, maintainAspectRatio: false, animation: still ? false : { duration: 300 } };
}
