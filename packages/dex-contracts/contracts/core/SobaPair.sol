// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {SobaERC20} from "./SobaERC20.sol";
import {ReentrancyLock} from "./ReentrancyLock.sol";
import {Math} from "./Math.sol";
import {IERC20Minimal} from "../interfaces/IERC20Minimal.sol";
import {ISobaFactory} from "../interfaces/ISobaFactory.sol";
import {ISobaCallee} from "../interfaces/ISobaCallee.sol";

/// A constant-product pool with Uniswap v2 semantics: 0.30% fee on input, 1,000
/// wei of liquidity locked forever on the first mint, an optional protocol fee of
/// 1/6 of the growth in sqrt(k), and cumulative prices for TWAP oracles.
/// Same ABI and events as UniswapV2Pair, so Uniswap v2 tooling reads it as is.
contract SobaPair is SobaERC20, ReentrancyLock {
    uint256 public constant MINIMUM_LIQUIDITY = 10 ** 3;
    uint224 private constant Q112 = 2 ** 112;

    // The factory is fixed at construction; an immutable keeps it out of storage
    // without touching the creation code (and so the init code hash).
    address public immutable factory;
    address public token0;
    address public token1;

    // One slot, read and written together.
    uint112 private reserve0;
    uint112 private reserve1;
    uint32 private blockTimestampLast;

    uint256 public price0CumulativeLast;
    uint256 public price1CumulativeLast;
    uint256 public kLast; // reserve0 * reserve1 right after the last liquidity event, while the protocol fee is on

    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    event Sync(uint112 reserve0, uint112 reserve1);

    constructor() {
        factory = msg.sender;
    }

    /// Called once by the factory right after CREATE2 (constructor arguments would
    /// change the init code hash per pair).
    function initialize(address _token0, address _token1) external {
        require(msg.sender == factory, "SobaV2: FORBIDDEN");
        token0 = _token0;
        token1 = _token1;
    }

    function getReserves() public view returns (uint112 _reserve0, uint112 _reserve1, uint32 _blockTimestampLast) {
        _reserve0 = reserve0;
        _reserve1 = reserve1;
        _blockTimestampLast = blockTimestampLast;
    }

    /// Transfers that accept tokens returning nothing (USDT style) as well as `true`.
    function _safeTransfer(address token, address to, uint256 value) private {
        (bool success, bytes memory data) = token.call(abi.encodeCall(IERC20Minimal.transfer, (to, value)));
        require(success && (data.length == 0 || abi.decode(data, (bool))), "SobaV2: TRANSFER_FAILED");
    }

    function _balanceOfSelf(address token) private view returns (uint256) {
        return IERC20Minimal(token).balanceOf(address(this));
    }

    /// Stores new reserves and, on the first call of a block, adds the price that
    /// held since the previous block to the accumulators.
    function _update(uint256 balance0, uint256 balance1, uint112 _reserve0, uint112 _reserve1) private {
        require(balance0 <= type(uint112).max && balance1 <= type(uint112).max, "SobaV2: OVERFLOW");
        uint32 blockTimestamp = uint32(block.timestamp); // mod 2^32 on purpose
        unchecked {
            // Both subtraction and the accumulators wrap by design: oracles take
            // differences of two readings, which stay right across the wrap.
            uint32 timeElapsed = blockTimestamp - blockTimestampLast;
            if (timeElapsed > 0 && _reserve0 != 0 && _reserve1 != 0) {
                // UQ112x112 prices: (reserve1 << 112) / reserve0 fits in uint224
                price0CumulativeLast += uint256((uint224(_reserve1) * Q112) / _reserve0) * timeElapsed;
                price1CumulativeLast += uint256((uint224(_reserve0) * Q112) / _reserve1) * timeElapsed;
            }
        }
        reserve0 = uint112(balance0);
        reserve1 = uint112(balance1);
        blockTimestampLast = blockTimestamp;
        emit Sync(uint112(balance0), uint112(balance1));
    }

    /// When feeTo is set, mints to it liquidity worth 1/6 of the growth in sqrt(k)
    /// since the last liquidity event (the fees earned by the pool in between).
    function _mintFee(uint112 _reserve0, uint112 _reserve1) private returns (bool feeOn) {
        address feeTo = ISobaFactory(factory).feeTo();
        feeOn = feeTo != address(0);
        uint256 _kLast = kLast;
        if (feeOn) {
            if (_kLast != 0) {
                uint256 rootK = Math.sqrt(uint256(_reserve0) * _reserve1);
                uint256 rootKLast = Math.sqrt(_kLast);
                if (rootK > rootKLast) {
                    uint256 numerator = totalSupply * (rootK - rootKLast);
                    uint256 denominator = rootK * 5 + rootKLast;
                    uint256 liquidity = numerator / denominator;
                    if (liquidity > 0) _mint(feeTo, liquidity);
                }
            }
        } else if (_kLast != 0) {
            kLast = 0;
        }
    }

    /// Mints LP tokens for whatever was transferred in since the last update.
    /// Meant to be called by a contract (the router) in the same transaction as the transfers.
    function mint(address to) external lock returns (uint256 liquidity) {
        (uint112 _reserve0, uint112 _reserve1,) = getReserves();
        uint256 balance0 = _balanceOfSelf(token0);
        uint256 balance1 = _balanceOfSelf(token1);
        uint256 amount0 = balance0 - _reserve0;
        uint256 amount1 = balance1 - _reserve1;

        bool feeOn = _mintFee(_reserve0, _reserve1);
        uint256 _totalSupply = totalSupply; // read after _mintFee, which may mint
        if (_totalSupply == 0) {
            liquidity = Math.sqrt(amount0 * amount1) - MINIMUM_LIQUIDITY;
            _mint(address(0), MINIMUM_LIQUIDITY); // locked forever: the pool can never be drained to zero supply
        } else {
            liquidity = Math.min((amount0 * _totalSupply) / _reserve0, (amount1 * _totalSupply) / _reserve1);
        }
        require(liquidity > 0, "SobaV2: INSUFFICIENT_LIQUIDITY_MINTED");
        _mint(to, liquidity);

        _update(balance0, balance1, _reserve0, _reserve1);
        if (feeOn) kLast = balance0 * balance1;
        emit Mint(msg.sender, amount0, amount1);
    }

    /// Burns the LP tokens held by the pair and sends the underlying share to `to`.
    function burn(address to) external lock returns (uint256 amount0, uint256 amount1) {
        (uint112 _reserve0, uint112 _reserve1,) = getReserves();
        address _token0 = token0;
        address _token1 = token1;
        uint256 balance0 = _balanceOfSelf(_token0);
        uint256 balance1 = _balanceOfSelf(_token1);
        uint256 liquidity = balanceOf[address(this)];

        bool feeOn = _mintFee(_reserve0, _reserve1);
        uint256 _totalSupply = totalSupply;
        amount0 = (liquidity * balance0) / _totalSupply; // pro rata on balances, not reserves
        amount1 = (liquidity * balance1) / _totalSupply;
        require(amount0 > 0 && amount1 > 0, "SobaV2: INSUFFICIENT_LIQUIDITY_BURNED");
        _burn(address(this), liquidity);
        _safeTransfer(_token0, to, amount0);
        _safeTransfer(_token1, to, amount1);
        balance0 = _balanceOfSelf(_token0);
        balance1 = _balanceOfSelf(_token1);

        _update(balance0, balance1, _reserve0, _reserve1);
        if (feeOn) kLast = balance0 * balance1;
        emit Burn(msg.sender, amount0, amount1, to);
    }

    /// Sends the requested outputs first (optimistically, enabling flash swaps),
    /// then requires the fee-adjusted product of balances to be at least k.
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external lock {
        require(amount0Out > 0 || amount1Out > 0, "SobaV2: INSUFFICIENT_OUTPUT_AMOUNT");
        (uint112 _reserve0, uint112 _reserve1,) = getReserves();
        require(amount0Out < _reserve0 && amount1Out < _reserve1, "SobaV2: INSUFFICIENT_LIQUIDITY");

        uint256 balance0;
        uint256 balance1;
        {
            address _token0 = token0;
            address _token1 = token1;
            require(to != _token0 && to != _token1, "SobaV2: INVALID_TO");
            if (amount0Out > 0) _safeTransfer(_token0, to, amount0Out);
            if (amount1Out > 0) _safeTransfer(_token1, to, amount1Out);
            if (data.length > 0) ISobaCallee(to).uniswapV2Call(msg.sender, amount0Out, amount1Out, data);
            balance0 = _balanceOfSelf(_token0);
            balance1 = _balanceOfSelf(_token1);
        }
        uint256 amount0In;
        uint256 amount1In;
        unchecked {
            // amountXOut < reserveX was required above, so these cannot underflow
            uint256 rest0 = _reserve0 - amount0Out;
            uint256 rest1 = _reserve1 - amount1Out;
            amount0In = balance0 > rest0 ? balance0 - rest0 : 0;
            amount1In = balance1 > rest1 ? balance1 - rest1 : 0;
        }
        require(amount0In > 0 || amount1In > 0, "SobaV2: INSUFFICIENT_INPUT_AMOUNT");
        {
            uint256 balance0Adjusted = balance0 * 1000 - amount0In * 3;
            uint256 balance1Adjusted = balance1 * 1000 - amount1In * 3;
            require(
                balance0Adjusted * balance1Adjusted >= uint256(_reserve0) * _reserve1 * 1000 ** 2, "SobaV2: K"
            );
        }

        _update(balance0, balance1, _reserve0, _reserve1);
        emit Swap(msg.sender, amount0In, amount1In, amount0Out, amount1Out, to);
    }

    /// Sends any balance above the reserves to `to`.
    function skim(address to) external lock {
        address _token0 = token0;
        address _token1 = token1;
        _safeTransfer(_token0, to, _balanceOfSelf(_token0) - reserve0);
        _safeTransfer(_token1, to, _balanceOfSelf(_token1) - reserve1);
    }

    /// Makes the reserves match the balances.
    function sync() external lock {
        _update(_balanceOfSelf(token0), _balanceOfSelf(token1), reserve0, reserve1);
    }
}
