import type { Prng } from "./prng";

export const demoWarehouses = [
  { WarehouseCode: "01", WarehouseName: "广州总仓", City: "广州", ZipCode: "510000" },
  { WarehouseCode: "02", WarehouseName: "佛山陶瓷仓", City: "佛山", ZipCode: "528000" },
  { WarehouseCode: "03", WarehouseName: "上海分仓", City: "上海", ZipCode: "200000" },
  { WarehouseCode: "04", WarehouseName: "成都分仓", City: "成都", ZipCode: "610000" },
];

const cities = [
  "佛山",
  "广州",
  "深圳",
  "上海",
  "杭州",
  "苏州",
  "南京",
  "成都",
  "重庆",
  "武汉",
  "厦门",
  "青岛",
  "长沙",
  "郑州",
];
const cores = [
  "宏达",
  "鑫源",
  "华美",
  "金鼎",
  "恒泰",
  "瑞丰",
  "博雅",
  "盛世",
  "嘉禾",
  "东方",
  "天成",
  "合众",
  "新纪元",
  "永兴",
  "中航",
];
const trades = ["建材", "装饰工程", "陶瓷", "卫浴", "家居", "房地产开发", "建筑安装", "贸易", "物业管理", "酒店管理"];

export function companyName(prng: Prng, index: number): string {
  return `${prng.pick(cities)}${prng.pick(cores)}${prng.pick(trades)}有限公司${index > 150 ? `（${index}）` : ""}`;
}

type Category = {
  group: number;
  names: string[];
  specs: string[];
  english: string;
  uom: string;
  price: [number, number];
};

export const categories: Category[] = [
  {
    group: 101,
    names: ["抛光砖", "仿古砖", "木纹砖", "大理石瓷砖", "岩板", "防滑地砖"],
    specs: ["600×600 米白", "800×800 浅灰", "750×1500 雅士白", "200×1200 橡木色", "600×1200 鱼肚白"],
    english: "Tile",
    uom: "M2",
    price: [45, 380],
  },
  {
    group: 102,
    names: ["连体马桶", "智能马桶", "台上盆", "台下盆", "浴缸", "小便斗"],
    specs: ["白色 缓降盖板", "305坑距", "400坑距", "1.7m 亚克力", "陶瓷 釉面"],
    english: "Sanitary ware",
    uom: "PCS",
    price: [299, 6800],
  },
  {
    group: 103,
    names: ["面盆龙头", "厨房龙头", "淋浴花洒套装", "浴缸龙头", "角阀"],
    specs: ["冷热 铬色", "抽拉式 枪灰", "恒温 哑光黑", "全铜 拉丝", "304不锈钢"],
    english: "Faucet",
    uom: "PCS",
    price: [39, 2600],
  },
  {
    group: 104,
    names: ["内墙乳胶漆", "外墙真石漆", "防水涂料", "木器漆", "艺术涂料"],
    specs: ["18L 白色", "25kg 米黄", "20kg 灰色", "5L 清漆", "5kg 珠光"],
    english: "Paint",
    uom: "BKT",
    price: [88, 1200],
  },
  {
    group: 105,
    names: ["玻璃马赛克", "石材马赛克", "金属马赛克", "陶瓷马赛克"],
    specs: ["300×300 湖蓝", "300×300 混色", "305×305 香槟金", "298×298 白灰"],
    english: "Mosaic",
    uom: "PCS",
    price: [25, 260],
  },
];
